/**
 * Who is calling: a signed-in user (session token or cookie) or an API key. The workspace comes from
 * the credential, never from the request. Permissions (engine/permissions) are derived from
 * `userId` and the workspace; API key scopes narrow them further.
 */
export interface Principal {
  via: 'session' | 'apiKey';
  workspaceId: string;
  /** The user acting; null for a workspace key that belongs to no user (e.g. made with the CLI). */
  userId: string | null;
  sessionId: string | null;
  keyId: string | null;
  /** API key scopes: `admin`, `read:*`, `write:*`, `read:<object>`, `write:<object>`. Sessions: null (the user's role decides). */
  scopes: readonly string[] | null;
  /**
   * Sessions only: the workspace or the user's role requires two-factor authentication and this user
   * has not enrolled; until then only the enrolment routes answer (TWO_FACTOR_ENROLMENT_REQUIRED).
   */
  twoFactorEnrolmentRequired?: boolean;
}

/** A credential's token: `<prefix>_<id without dashes>_<43 base64url chars>`; only a SHA-256 of it is stored. */
export const TOKEN_PATTERN = /^(rap|rps)_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export const uuidFromHex = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
