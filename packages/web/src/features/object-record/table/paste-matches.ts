/** Why a pasted name found no single record or member (translated under `tableExtras.range.errors`). */
export type MatchErrorCode = 'unknownRecord' | 'ambiguousRecord' | 'unknownUser' | 'ambiguousUser';

export type MatchResult = { id: string } | { error: MatchErrorCode };

export interface MatchableUser {
  id: string;
  name?: string | null;
  email?: string | null;
  status?: string | null;
}

export interface MatchableRecord {
  id: string;
  title: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A pasted id (from an export, or another tool) is taken as it is; the server checks that it exists. */
export const isUuid = (text: string): boolean => UUID.test(text.trim());

/** How names are compared: case, accents, and runs of spaces do not count. */
export const nameKey = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The member a pasted owner names: by email (case-insensitive), else by name. Of several with that
 * name, an active one wins over invited and deactivated ones; several active ones are ambiguous.
 */
export const matchUser = (users: readonly MatchableUser[], text: string): MatchResult => {
  const wanted = nameKey(text);
  if (isUuid(text)) return users.some((user) => user.id === text.trim().toLowerCase()) ? { id: text.trim().toLowerCase() } : { error: 'unknownUser' };
  const byEmail = users.find((user) => user.email && nameKey(user.email) === wanted);
  if (byEmail) return { id: byEmail.id };
  const named = users.filter((user) => user.name && nameKey(user.name) === wanted);
  const active = named.filter((user) => user.status === undefined || user.status === null || user.status === 'active');
  const candidates = active.length > 0 ? active : named;
  if (candidates.length === 1) return { id: candidates[0]!.id };
  return { error: candidates.length === 0 ? 'unknownUser' : 'ambiguousUser' };
};

/**
 * The record a pasted title names among the candidates the API found: its exact title first (so
 * "ACME" and "Acme" can both be named), else the same title ignoring case and accents. Two records
 * with that title are ambiguous: the person picks one in the cell.
 */
export const matchRecord = (candidates: readonly MatchableRecord[], text: string): MatchResult => {
  const trimmed = text.trim();
  const unique = [...new Map(candidates.map((candidate) => [candidate.id, candidate])).values()];
  const exact = unique.filter((candidate) => candidate.title.trim() === trimmed);
  const similar = exact.length > 0 ? exact : unique.filter((candidate) => nameKey(candidate.title) === nameKey(trimmed));
  if (similar.length === 1) return { id: similar[0]!.id };
  return { error: similar.length === 0 ? 'unknownRecord' : 'ambiguousRecord' };
};

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Plain text pasted into a rich-text field, as HTML that shows it as written: markup characters are
 * escaped (a pasted `<b>` stays text), blank lines separate paragraphs, single line breaks stay `<br>`.
 */
export const richTextOf = (text: string): string | null => {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  if (paragraphs.length === 0) return null;
  return paragraphs.map((paragraph) => `<p>${paragraph.split('\n').map((line) => escapeHtml(line.trim())).join('<br>')}</p>`).join('');
};
