import type { FieldError, Problem } from './types.ts';

/** Thrown for every non-2xx answer: the problem document, with its stable code and per-field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? 'UNKNOWN';
    this.fieldErrors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }
}

export const isApiError = (error: unknown, code?: string): error is ApiError => error instanceof ApiError && (code === undefined || error.code === code);

// The session token is kept in memory only; the httpOnly session cookie (when the server sets one) survives reloads.
const credentials = { token: null as string | null, csrfToken: null as string | null };
let onUnauthenticated: (() => void) | undefined;

export const setCredentials = ({ token, csrfToken }: { token: string | null; csrfToken?: string | null }) => {
  credentials.token = token;
  credentials.csrfToken = csrfToken ?? null;
};

/** Called when an authenticated request answers 401 (session expired or signed out elsewhere). */
export const setUnauthenticatedHandler = (handler: (() => void) | undefined) => {
  onUnauthenticated = handler;
};

/** For requests made outside `api` (file downloads): a 401 there signs out the same way. */
export const reportUnauthenticated = () => onUnauthenticated?.();

const CSRF_COOKIE = /(?:^|;\s*)(?:rapport[_-]?csrf|csrf[_-]token)=([^;]+)/i;

const readCsrfToken = (): string | null => {
  if (credentials.csrfToken) return credentials.csrfToken;
  const match = typeof document === 'undefined' ? null : CSRF_COOKIE.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Record version for optimistic concurrency (`If-Match`). */
  ifMatch?: number;
  signal?: AbortSignal;
  /** Public routes (sign-in, sign-up) do not sign the user out on 401. */
  isPublic?: boolean;
}

const toUrl = (path: string, query?: RequestOptions['query']) => {
  const url = `/api/v1${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${url}?${text}` : url;
};

/** One JSON request to the public API; throws ApiError with the problem document on failure. */
export const apiRequest = async <T>(path: string, options: RequestOptions = {}): Promise<T> => {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
  if (method !== 'GET') {
    const csrf = readCsrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(toUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: error instanceof Error ? error.message : String(error) });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
    const error = new ApiError({ ...problem, status: response.status });
    if (response.status === 401 && !options.isPublic) onUnauthenticated?.();
    throw error;
  }
  return body as T;
};

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => apiRequest<T>(path, { query, ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  put: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'PUT', body }),
  delete: <T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
