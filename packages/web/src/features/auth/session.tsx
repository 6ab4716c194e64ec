import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, apiRequest, setCredentials, setUnauthenticatedHandler } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';

export type SessionState = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; user: SessionUser };

export interface SignInInput {
  email: string;
  password: string;
  totp?: string;
}

export interface SignUpInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
}

interface SignedIn {
  token?: string;
  csrfToken?: string;
  user?: SessionUser;
  workspace?: { id: string; name: string };
}

interface SessionApi {
  session: SessionState;
  signIn(input: SignInInput): Promise<void>;
  signUp(input: SignUpInput): Promise<void>;
  signOut(): Promise<void>;
  /** Accepts an invitation (sets the password) and signs the invitee in. */
  acceptInvitation(input: { token: string; password: string; name?: string }): Promise<void>;
  /** Ends every session of the user, on every device, this one included. */
  signOutEverywhere(): Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

// `GET /users/me` may answer the user itself or `{ user, ... }`.
const userOf = (body: unknown): SessionUser | undefined => {
  if (!body || typeof body !== 'object') return undefined;
  const candidate = 'user' in body && body.user && typeof body.user === 'object' ? body.user : body;
  return typeof (candidate as SessionUser).id === 'string' ? (candidate as SessionUser) : undefined;
};

let resumed: Promise<unknown> | undefined;
let resumedState: SessionState | undefined;

/**
 * Asks who the session cookie belongs to (`GET /users/me`; without a session, a quiet 401). Called at start
 * before anything renders (index.html preloads the request), so the provider's first render already knows.
 */
export const startSessionResume = () => {
  resumed ??= apiRequest<unknown>('/users/me', { isPublic: true }).then(
    (body) => {
      const user = userOf(body);
      resumedState = user ? { status: 'signedIn', user } : { status: 'signedOut' };
      return body;
    },
    (error: unknown) => {
      resumedState = { status: 'signedOut' };
      throw error;
    },
  );
  return resumed;
};

/** Who is signed in: resumed from the session cookie at start, then set by sign-in, sign-up and sign-out. */
export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<SessionState>(() => resumedState ?? { status: 'loading' });

  useEffect(() => {
    if (resumedState) return;
    let isCurrent = true;
    // Resumes a session from the cookie; without one this is a quiet 401.
    startSessionResume()
      .then((body) => {
        const user = userOf(body);
        if (isCurrent) setSession(user ? { status: 'signedIn', user } : { status: 'signedOut' });
      })
      .catch(() => {
        if (isCurrent) setSession({ status: 'signedOut' });
      });
    return () => {
      isCurrent = false;
    };
  }, []);

  const end = useCallback(() => {
    setCredentials({ token: null });
    queryClient.clear();
    setSession({ status: 'signedOut' });
  }, [queryClient]);

  useEffect(() => {
    setUnauthenticatedHandler(end);
    return () => setUnauthenticatedHandler(undefined);
  }, [end]);

  const begin = useCallback(
    async (result: SignedIn) => {
      setCredentials({ token: result.token ?? null, csrfToken: result.csrfToken ?? null });
      queryClient.clear();
      const signedIn = userOf(result);
      const user = signedIn ? { ...signedIn, ...(result.workspace ? { workspace: result.workspace } : {}) } : userOf(await api.get<unknown>('/users/me'));
      if (!user) throw new Error('The server did not say who signed in.');
      setSession({ status: 'signedIn', user });
    },
    [queryClient],
  );

  const value = useMemo<SessionApi>(
    () => ({
      session,
      signIn: async (input) => begin(await api.post<SignedIn>('/auth/sign-in', input, { isPublic: true })),
      signUp: async (input) => begin(await api.post<SignedIn>('/auth/sign-up', input, { isPublic: true })),
      signOut: async () => {
        await api.post('/auth/sign-out', {}, { isPublic: true }).catch(() => undefined);
        end();
      },
      acceptInvitation: async (input) => begin(await api.post<SignedIn>('/auth/invitations/accept', input, { isPublic: true })),
      signOutEverywhere: async () => {
        await api.post('/auth/sign-out-everywhere', {}, { isPublic: true });
        end();
      },
    }),
    [session, begin, end],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): SessionApi => {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
};
