import type { WorkspaceUser } from '../../../api/queries.ts';

export interface MentionCandidate {
  id: string;
  label: string;
}

/** Users whose name or email starts a word with the query, at most 6. */
export const findMentionCandidates = (users: readonly WorkspaceUser[], query: string): MentionCandidate[] => {
  const needle = query.trim().toLowerCase();
  return users
    .map((user) => ({ id: user.id, label: user.name || user.email || user.id }))
    .filter((user) => needle === '' || user.label.toLowerCase().split(/\s+/).some((word) => word.startsWith(needle)) || user.label.toLowerCase().includes(needle))
    .slice(0, 6);
};
