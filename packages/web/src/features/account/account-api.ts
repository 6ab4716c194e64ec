import { useQuery } from '@tanstack/react-query';
import { renderSVG } from 'uqr';
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

/** `GET /users/me` with the two-factor state (the session's user may not carry it). */
export const useMe = () =>
  useQuery({
    queryKey: meKey,
    // A refetch while the recovery codes are on screen would replace them with the "turn off" form.
    refetchOnWindowFocus: false,
    queryFn: async ({ signal }) => {
      const body = await api.get<Record<string, unknown>>('/users/me', undefined, signal);
      // The answer is the user itself or `{user, workspace, twoFactorRequired…}`.
      const { user, ...rest } = body;
      return (user && typeof user === 'object' ? { ...(user as object), ...rest } : body) as unknown as Me;
    },
  });

/** The otpauth:// URL as an SVG QR code in a data URL (the app's CSP allows data: images). */
export const qrCodeDataUrl = (otpauthUrl: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(otpauthUrl, { border: 2 }))}`;

/** The base32 secret in groups of four, easier to type into an authenticator app. */
export const groupSecret = (secret: string): string => secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
