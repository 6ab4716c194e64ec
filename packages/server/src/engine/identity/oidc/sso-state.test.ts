import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../secret-box.ts';
import { mapRole } from './sso-sign-in.service.ts';
import { openFlowCookie, safeReturnTo, sealFlowCookie, SSO_COOKIE } from './sso-state.ts';

const box = createSecretBox(randomBytes(32));
const flow = { providerId: 'p1', state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', expiresAt: Date.now() + 60_000 };
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

describe('single sign-on flow cookie', () => {
  it('should seal the flow into an httpOnly, Lax cookie scoped to the sign-on routes and open it again', () => {
    const setCookie = sealFlowCookie(box, flow, true);
    expect(setCookie).toMatch(new RegExp(`^${SSO_COOKIE}=v1\\.`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Path=\/api\/v1\/auth\/sso/);
    expect(setCookie).not.toContain('codeVerifier');
    expect(openFlowCookie(box, `other=1; ${cookieOf(setCookie)}`)).toEqual(flow);
  });

  it('should refuse a missing, forged, foreign-key or expired flow', () => {
    expect(() => openFlowCookie(box, undefined)).toThrow(/did not start a single sign-on/);
    expect(() => openFlowCookie(box, `${SSO_COOKIE}=v1.AAAA.BBBB.CCCC`)).toThrow(/not valid/);
    const foreign = createSecretBox(randomBytes(32));
    expect(() => openFlowCookie(box, cookieOf(sealFlowCookie(foreign, flow, false)))).toThrow(/not valid/);
    expect(() => openFlowCookie(box, cookieOf(sealFlowCookie(box, { ...flow, expiresAt: Date.now() - 1 }, false)))).toThrow(/longer than 10 minutes/);
  });

  it('should only return to paths of this server', () => {
    expect(safeReturnTo('/records/person?view=1')).toBe('/records/person?view=1');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(safeReturnTo('//evil.example/')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('/a\r\nSet-Cookie: x=1')).toBe('/');
  });
});

describe('mapRole', () => {
  const provider = { roleClaim: 'realm_access.roles', roleMapping: { admins: 'role-admin', sales: 'role-sales' } };

  it('should map the first claim value that has a role, from nested claims and single values', () => {
    expect(mapRole(provider, { sub: 'x', realm_access: { roles: ['staff', 'sales', 'admins'] } })).toBe('role-sales');
    expect(mapRole({ ...provider, roleClaim: 'group' }, { sub: 'x', group: 'admins' })).toBe('role-admin');
  });

  it('should map nothing without a claim, a matching value or a role claim setting', () => {
    expect(mapRole(provider, { sub: 'x' })).toBeUndefined();
    expect(mapRole(provider, { sub: 'x', realm_access: { roles: ['staff'] } })).toBeUndefined();
    expect(mapRole({ ...provider, roleClaim: null }, { sub: 'x', realm_access: { roles: ['admins'] } })).toBeUndefined();
  });
});
