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

/**
 * Sends one request to the public API with the session's credentials. A failure throws ApiError with
 * the problem document (and a 401 signs out, except on public routes); a success is the response itself.
 */
const send = async (url: string, options: RequestOptions & { accept: string }): Promise<Response> => {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: options.accept };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
  if (method !== 'GET') {
    const csrf = readCsrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(url, {
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
  if (response.ok) return response;
  throw failure(response.status, await response.text(), options.isPublic);
};

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

const readJson = async (response: Response): Promise<unknown> => parseJson(await response.text());

/** The ApiError of a failed answer (its problem document); a 401 signs out, except on public routes. */
const failure = (status: number, text: string, isPublic?: boolean): ApiError => {
  const body = parseJson(text);
  const problem = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
  if (status === 401 && !isPublic) onUnauthenticated?.();
  return new ApiError({ ...problem, status });
};

/** One JSON request to the public API; throws ApiError with the problem document on failure. */
export const apiRequest = async <T>(path: string, options: RequestOptions = {}): Promise<T> =>
  (await readJson(await send(toUrl(path, options.query), { ...options, accept: 'application/json' }))) as T;

/** A file from the public API (an `/api/v1/...` URL, e.g. an export link's href), as the answer to save. */
export const apiDownload = (url: string, accept = '*/*'): Promise<Response> => send(url, { accept });

/**
 * A multipart form POSTed to the public API with the session's credentials, reporting the upload's
 * progress (`fetch` cannot): an XMLHttpRequest. Answers the JSON body; a failure throws ApiError like `send`.
 */
export const apiUpload = <T>(path: string, form: FormData, { onProgress, signal }: { onProgress?: (loaded: number, total: number) => void; signal?: AbortSignal } = {}): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', toUrl(path));
    request.withCredentials = true;
    request.setRequestHeader('accept', 'application/json');
    if (credentials.token) request.setRequestHeader('authorization', `Bearer ${credentials.token}`);
    const csrf = readCsrfToken();
    if (csrf) request.setRequestHeader('x-csrf-token', csrf);
    if (onProgress) request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(parseJson(request.responseText) as T);
      else reject(failure(request.status, request.responseText));
    };
    request.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK', detail: 'The upload failed.' }));
    request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => apiRequest<T>(path, { query, ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  put: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'PUT', body }),
  delete: <T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) => apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
