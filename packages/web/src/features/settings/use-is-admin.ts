import { useSession } from '../auth/session.tsx';

/**
 * Whether the signed-in person administers the workspace (the Settings entry is shown only then). Its own
 * module: the navigation reads it on every screen, and Settings' layout stays in its lazily loaded chunk.
 */
export const useIsAdmin = () => {
  const { session } = useSession();
  return session.status === 'signedIn' && session.user.isAdmin === true;
};
