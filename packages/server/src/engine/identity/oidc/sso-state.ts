import { parse, serialize } from 'cookie';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../secret-box.ts';

/**
 * What a sign-in must remember between the start and the callback, sealed (AES-256-GCM) in a cookie
 * of the browser that started it: a callback from another browser (login CSRF) has no cookie to match.
 */
export interface SsoFlowState {
  providerId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path of this server to land on after signing in. */
  returnTo: string;
  /** Epoch milliseconds after which the sign-in must start again. */
  expiresAt: number;
}

export const SSO_COOKIE = 'rapport_sso';
export const SSO_COOKIE_PATH = '/api/v1/auth/sso';
export const SSO_FLOW_TTL_MS = 10 * 60_000;

export const sealFlowCookie = (box: SecretBox, flow: SsoFlowState, secure: boolean): string =>
  serialize(SSO_COOKIE, box.seal(JSON.stringify(flow)), {
    path: SSO_COOKIE_PATH,
    httpOnly: true,
    // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
    sameSite: 'lax',
    secure,
    maxAge: SSO_FLOW_TTL_MS / 1000,
  });

export const clearFlowCookie = (secure: boolean): string =>
  serialize(SSO_COOKIE, '', { path: SSO_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, expires: new Date(0) });

const restart = (detail: string) => new AppError('SSO_FAILED', `${detail} Start the sign-in again.`);

/** The flow of this browser's sign-in; throws SSO_FAILED when it is missing, forged or too old. */
export const openFlowCookie = (box: SecretBox, cookieHeader: string | undefined): SsoFlowState => {
  const sealed = cookieHeader ? parse(cookieHeader)[SSO_COOKIE] : undefined;
  if (!sealed) throw restart('This browser did not start a single sign-on (or its cookie was blocked).');
  let flow: SsoFlowState;
  try {
    flow = JSON.parse(box.open(sealed)) as SsoFlowState;
  } catch {
    throw restart('The single sign-on cookie is not valid.');
  }
  if (typeof flow.expiresAt !== 'number' || flow.expiresAt < Date.now()) throw restart('The single sign-on took longer than 10 minutes.');
  return flow;
};

/** Only a path of this server: never another site (an open redirect). */
export const safeReturnTo = (value: string | undefined): string =>
  value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && !/[\r\n]/.test(value) ? value : '/';
