import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readSessionCookie } from './engine/api/session-cookie.ts';

/** Where `npm install` (the root `prepare` script) builds the web app: packages/web/dist. */
export const defaultWebAppDir = resolve(import.meta.dirname, '../../web/dist');

export const isWebAppBuilt = (distDir: string) => existsSync(join(distDir, 'index.html'));

// The app loads only its own files; Mantine sets inline styles, hence 'unsafe-inline' for styles alone.
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the API owns: never answered with the app, so a wrong API URL stays a problem document. */
export const isApiPath = (path: string) => path === 'api' || path.startsWith('api/') || path === 'healthz' || path.startsWith('healthz/');

// index.html names the API requests a signed-in first screen makes (`<meta name="rapport:signed-in-preload">`).
const SIGNED_IN_PRELOAD = /<meta\s+name="rapport:signed-in-preload"\s+content="([^"]*)"/;

/**
 * The `Link` header preloading the requests index.html names, read again whenever the build changes. At low
 * priority: the scripts and styles get the browser's connections first (the answers are needed only once they run).
 */
const signedInPreloads = (indexFile: string): (() => string) => {
  let cached = { mtimeMs: -1, link: '' };
  return () => {
    const mtimeMs = statSync(indexFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (mtimeMs !== cached.mtimeMs) {
      const urls = mtimeMs ? (SIGNED_IN_PRELOAD.exec(readFileSync(indexFile, 'utf8'))?.[1] ?? '').split(/\s+/).filter((url) => url.startsWith('/api/')) : [];
      cached = { mtimeMs, link: urls.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low`).join(', ') };
    }
    return cached.link;
  };
};

const sendIndex = (reply: FastifyReply, preloads: string) =>
  (preloads ? reply.header('link', preloads) : reply)
    .header('cache-control', 'no-cache')
    .header('content-security-policy', APP_CSP)
    .type('text/html; charset=utf-8')
    .sendFile('index.html');

/**
 * Serves the built web app: its files, and index.html for every other path (client-side routes such
 * as /objects/person/123), so a reload or a shared link opens the right screen. Hashed files under
 * /assets are cached for a year; everything else is revalidated.
 */
export const registerWebApp = (app: FastifyInstance, distDir: string = defaultWebAppDir) => {
  const root = resolve(distDir);
  // The build puts a .br and a .gz beside each text file (packages/web/scripts/build.mjs): sent when the browser accepts them.
  void app.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'deny', cacheControl: false, preCompressed: true });
  // With a session, the first screen's API requests start alongside the scripts instead of after them;
  // without one they would only answer 401, so they are not announced.
  const preloads = signedInPreloads(join(root, 'index.html'));
  const index = (request: FastifyRequest, reply: FastifyReply) => sendIndex(reply, readSessionCookie(request) ? preloads() : '');
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    // The router has decoded the path already; it is checked against the build folder below.
    const path = ((request.params as { '*'?: string })['*'] ?? '').replace(/^\/+/, '');
    if (isApiPath(path)) return reply.callNotFound();
    if (path === '' || path === 'index.html') return index(request, reply);
    const file = resolve(root, path);
    const isInside = file.startsWith(root + sep);
    if (isInside && statSync(file, { throwIfNoEntry: false })?.isFile()) {
      reply.header('cache-control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      // A service worker runs under its script's own policy: the API's `default-src 'none'` would stop it
      // fetching the app shell it caches.
      if (path === 'sw.js') reply.header('content-security-policy', APP_CSP);
      return reply.sendFile(path);
    }
    // A missing file (an old asset, a typo) is a 404; a path without an extension is a screen of the app.
    if (extname(path) !== '' || !isInside) return reply.callNotFound();
    return index(request, reply);
  };
  app.get('/', onRequest);
  app.get('/*', onRequest);
};
