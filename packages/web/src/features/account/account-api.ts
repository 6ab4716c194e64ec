import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface Me {
  id: string;
  email: string;
  name: string | null;
  twoFactorEnabled?: boolean;
  twoFactorRequired?: boolean;
  recoveryCodesLeft?: number;
}

export const meKey = ['account', 'me'] as const;

/** The answer of `GET /users/me`: the user itself or `{user, workspace, twoFactorRequired…}`. */
export const meOf = (body: Record<string, unknown>): Me => {
  const { user, ...rest } = body;
  return (user && typeof user === 'object' ? { ...(user as object), ...rest } : body) as unknown as Me;
};

/** `GET /users/me` with the two-factor state (the session's user may not carry it). */
export const useMe = () =>
  useQuery({
    queryKey: meKey,
    // A refetch while the recovery codes are on screen would replace them with the "turn off" form.
    refetchOnWindowFocus: false,
    // The session's own answer seeds it at start (shell/prefetch-shell.ts); changes invalidate it.
    staleTime: 30_000,
    queryFn: async ({ signal }) => meOf(await api.get<Record<string, unknown>>('/users/me', undefined, signal)),
  });
