import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { generateSync } from 'otplib';
import type { Db } from '../../packages/server/src/engine/db/database.ts';
import { createUser } from '../../packages/server/src/engine/identity/users.service.ts';
import type { ApiResponse } from './test-app.ts';

/** A password the rules accept: long, not common, unrelated to the test emails. */
export const PASSWORD = 'purple-elephant-dances-42';

let sequence = 0;

export interface PasswordUser {
  id: string;
  email: string;
  password: string;
}

/** A member with a password, made through the user service (as POST /users does). */
export const addPasswordUser = async (
  db: Db,
  options: { workspaceId: string; role?: string; email?: string; name?: string; password?: string },
): Promise<PasswordUser> => {
  const n = ++sequence;
  const email = options.email ?? `person${n}.${process.pid}@identity.example`;
  const { rows } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${options.workspaceId} and name = ${options.role ?? 'Admin'}`.execute(db);
  const password = options.password ?? PASSWORD;
  const { user } = await createUser(db, { workspaceId: options.workspaceId, invitedBy: null, input: { email, name: options.name ?? `Person ${n}`, password, roleId: rows[0]!.id } });
  return { id: user.id, email: user.email, password };
};

export interface CallOptions {
  token?: string;
  /** The Cookie header (browser sessions). */
  cookie?: string;
  csrf?: string;
  ip?: string;
  headers?: Record<string, string>;
}

/** A JSON request through the real HTTP stack with any credential (or none). */
export const call = async <T = any>(app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse<T>> => {
  const response = await app.inject({
    method,
    url,
    remoteAddress: options.ip ?? '127.0.0.1',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, headers: response.headers, body: (response.body ? JSON.parse(response.body) : undefined) as T };
};

export interface BrowserSession {
  token: string;
  csrfToken: string;
  /** `rapport_session=...; rapport_csrf=...`, as a browser sends them back. */
  cookie: string;
  userId: string;
}

/** The Cookie header a browser sends back after this response's Set-Cookie headers. */
export const cookieHeaderFrom = (response: ApiResponse): string => {
  const setCookie = response.headers['set-cookie'];
  const cookies = (Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []).map((cookie) => cookie.split(';')[0]!);
  return cookies.join('; ');
};

/** Signs in over HTTP (POST /auth/sign-in); fails the test on anything but 200. */
export const signInOverHttp = async (app: FastifyInstance, credentials: { email: string; password: string; totp?: string }, ip = '127.0.0.1'): Promise<BrowserSession> => {
  const response = await call(app, 'POST', '/api/v1/auth/sign-in', credentials, { ip });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { token: response.body.token, csrfToken: response.body.csrfToken, cookie: cookieHeaderFrom(response), userId: response.body.user.id };
};

/** The current code of a base32 TOTP secret (what an authenticator app shows), optionally some steps ahead. */
export const totpCodeOf = (secret: string, stepsAhead = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
