import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../api/client.ts';

export interface AuthStatus {
  /** The instance has no user yet: the first person signs up and becomes its administrator. */
  signUpOpen: boolean;
  /** Enabled single sign-on providers, offered as buttons on the sign-in screen. */
  sso: { workspace: string; provider: string; startUrl: string }[];
}

/** `GET /auth/status`, public: read by the sign-in and sign-up screens. */
export const useAuthStatus = () =>
  useQuery({
    queryKey: ['auth', 'status'],
    staleTime: 0,
    retry: false,
    queryFn: ({ signal }) => apiRequest<AuthStatus>('/auth/status', { isPublic: true, signal }),
  });
