import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
  ms: number;
}

export interface HttpClient {
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpResponse>;
  /** Throws unless the status is 2xx; returns the parsed JSON. */
  json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ data: T; ms: number }>;
  close(): void;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** Keep-alive HTTP/1.1 client over loopback, as a browser or SDK talks to the server. */
export const createHttpClient = (options: { baseUrl: string; token?: string; connections?: number }): HttpClient => {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections ?? 1 });
  const send = (method: 'GET' | 'POST', path: string, body: unknown, isRetry: boolean): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const started = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // The server closed an idle keep-alive socket just as it was reused (Node's documented race): send again once.
        if (!isRetry && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          send(method, path, body, true).then(resolve, reject);
          return;
        }
        reject(error);
      });
      req.end(payload);
    });
  const request = (method: 'GET' | 'POST', path: string, body?: unknown) => send(method, path, body, false);
  return {
    request,
    async json<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const response = await request(method, path, body);
      if (response.status < 200 || response.status >= 300) throw new Error(`${method} ${path.slice(0, 200)} → ${response.status}: ${response.body.slice(0, 500)}`);
      return { data: JSON.parse(response.body) as T, ms: response.ms };
    },
    close: () => agent.destroy(),
  };
};
