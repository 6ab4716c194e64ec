import type { WorkspaceUser } from '../../../api/queries.ts';

export interface MentionCandidate {
  id: string;
  label: string;
  /** A team: mentioning it tells each of its members. */
  isTeam?: boolean;
}

export interface MentionableTeam {
  id: string;
  name: string;
}

const MAX_CANDIDATES = 6;

/** Users, then teams, whose name (or a user's email) starts a word with the query, or holds it; at most 6. */
export const findMentionCandidates = (users: readonly WorkspaceUser[], query: string, teams: readonly MentionableTeam[] = []): MentionCandidate[] => {
  const needle = query.trim().toLowerCase();
  const matches = (label: string) => needle === '' || label.toLowerCase().split(/\s+/).some((word) => word.startsWith(needle)) || label.toLowerCase().includes(needle);
  return [
    ...users.map((user): MentionCandidate => ({ id: user.id, label: user.name || user.email || user.id })),
    ...teams.map((team): MentionCandidate => ({ id: team.id, label: team.name, isTeam: true })),
  ]
    .filter((candidate) => matches(candidate.label))
    .slice(0, MAX_CANDIDATES);
};
