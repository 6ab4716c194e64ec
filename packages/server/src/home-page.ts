import type { FastifyInstance } from 'fastify';
import { defaultWebAppDir, isApiPath, isWebAppBuilt, registerWebApp } from './web-app.ts';

// Shown when packages/web/dist is missing: the API works, and the page says how to get the app.
const notice = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport</title>
<style>
 body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
 h1{font-size:1.8rem;margin-bottom:.2rem} code,pre{background:#f1f3f5;border-radius:4px;padding:.1rem .3rem}
 pre{padding:.8rem;overflow:auto} .ok{color:#2b8a3e;font-weight:600} .warn{color:#a61e4d;font-weight:600}
</style></head>
<body>
<h1>Rapport</h1>
<p class="ok" id="status">Server running.</p>
<p class="warn" id="web-app-missing">The web app is not built, so only the API is served.</p>
<p>Build it once (this is what <code>npm install</code> does), then reload this page:</p>
<pre>npm run build:web</pre>
<p>The REST API answers under <code>/api/v1</code>. With an API key:</p>
<pre>npx rapport workspace create "My company"
npx rapport apikey create --workspace "My company"
curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/api/v1/records/person</pre>
<p>The API reference is in <code>docs/reference/api.md</code> in the repository.</p>
</body></html>`;

export interface HomePageOptions {
  /** The built web app; packages/web/dist by default. */
  webAppDir?: string;
}

/** The web app at `/` when it is built; otherwise a page saying how to build it. */
export const registerHomePage = (app: FastifyInstance, { webAppDir = defaultWebAppDir }: HomePageOptions = {}) => {
  if (isWebAppBuilt(webAppDir)) {
    registerWebApp(app, webAppDir);
    return;
  }
  const onRequest = async (request: { params: unknown }, reply: import('fastify').FastifyReply) => {
    const path = (request.params as { '*'?: string })['*'] ?? '';
    if (isApiPath(path.replace(/^\/+/, ''))) return reply.callNotFound();
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(notice);
  };
  app.get('/', onRequest);
  app.get('/*', onRequest);
};
