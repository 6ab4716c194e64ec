import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { LoadingScreen } from '../components/ui/screens.tsx';
import { useSession } from '../features/auth/session.tsx';

/** Screens of the app need a session; without one, sign in and come back. */
export const RequireSession = ({ children }: { children: ReactNode }) => {
  const { session } = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <LoadingScreen />;
  if (session.status === 'signedOut') return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
};

/** Sign-in and sign-up are for people not signed in. */
export const PublicOnly = ({ children }: { children: ReactNode }) => {
  const { session } = useSession();
  if (session.status === 'loading') return <LoadingScreen />;
  if (session.status === 'signedIn') return <Navigate to="/" replace />;
  return children;
};
