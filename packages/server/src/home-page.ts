import type { FastifyInstance } from 'fastify';

// Until the web app lands, the root tells a person what is running and how to reach it.
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport</title>
<style>
 body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
 h1{font-size:1.8rem;margin-bottom:.2rem} code,pre{background:#f1f3f5;border-radius:4px;padding:.1rem .3rem}
 pre{padding:.8rem;overflow:auto} .ok{color:#2b8a3e;font-weight:600}
</style></head>
<body>
<h1>Rapport</h1>
<p class="ok" id="status">Server running.</p>
<p>Rapport is an open-source CRM. This server exposes the REST API under <code>/api/v1</code>.</p>
<h2>Get an API key</h2>
<pre>npx rapport workspace create "My company"
npx rapport apikey create --workspace "My company"</pre>
<h2>Try it</h2>
<pre>curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/api/v1/records/person
curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/api/v1/openapi.json</pre>
<p>The API reference is in <code>docs/reference/api.md</code> in the repository.</p>
</body></html>`;

export const registerHomePage = (app: FastifyInstance) => {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(page));
};
