import http from 'node:http';
import { sql } from 'kysely';
import type { BenchContext, ScenarioResult } from './bench-context.ts';
import { columnOf } from './raw-sql.ts';
import { formatMs } from './stats.ts';

const COUNTRY = 'FR';
const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'address', 'company'];

interface Streamed {
  ms: number;
  bytes: number;
  lines: number;
  status: number;
}

/** GET streamed to nowhere: counts bytes and lines, keeps nothing (the body of a large export is large). */
const streamGet = (baseUrl: string, token: string, path: string): Promise<Streamed> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    let bytes = 0;
    let lines = 0;
    http
      .get(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
        });
        response.on('end', () => resolve({ ms: performance.now() - started, bytes, lines, status: response.statusCode ?? 0 }));
        response.on('error', reject);
      })
      .on('error', reject);
  });

/**
 * A CSV export of every person in one country (a fifth of the people), streamed over HTTP from the
 * server in this process, against the raw SQL that reads the same rows in one statement. The server's
 * resident memory is sampled all along: an export reads page after page, so it should stay flat.
 */
export const runExportScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { app, token, database, workspace } = context;
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const filter = encodeURIComponent(JSON.stringify({ field: 'address.country', op: 'eq', value: COUNTRY }));
  const path = `/api/v1/records/person/export?format=csv&sort=lastName&filter=${filter}&fields=${FIELDS.join(',')}`;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  let exported: Streamed;
  try {
    exported = await streamGet(baseUrl, token, path);
  } finally {
    clearInterval(sampler);
  }
  if (exported.status !== 200) throw new Error(`export answered ${exported.status}`);
  const person = workspace.objects.get('person')!;
  const c = (field: string) => sql.ref(columnOf(person, field));
  const started = performance.now();
  const { rows } = await sql<Record<string, unknown>>`select ${c('firstName')}, ${c('lastName')}, ${c('email')}, ${c('phone')}, ${c('jobTitle')},
      ${c('address.street')}, ${c('address.city')}, ${c('address.postalCode')}, ${c('address.region')}, ${c('address.country')}, ${c('company')}
    from ${sql.id(workspace.schema, person.table)} where ${c('address.country')} = ${COUNTRY} and deleted_at is null order by ${c('lastName')}, id`.execute(database.db);
  const rawMs = performance.now() - started;
  const records = exported.lines - 1;
  return {
    name: `CSV export of the people of one country (${records.toLocaleString('en-US')} rows, ${FIELDS.length} fields incl. address and company name), streamed over HTTP`,
    target: 'none (streamed in constant memory)',
    api: `${formatMs(exported.ms)} · ${Math.round(records / (exported.ms / 1000)).toLocaleString('en-US')} rows/s · ${(exported.bytes / 1024 / 1024).toFixed(1)} MB`,
    raw: `${formatMs(rawMs)} (${rows.length.toLocaleString('en-US')} rows in one select, into memory)`,
    ratio: `×${(exported.ms / rawMs).toFixed(1)}`,
    notes: [
      `server process memory (RSS) before ${(rssBefore / 1024 / 1024).toFixed(0)} MB, highest during the export ${(rssPeak / 1024 / 1024).toFixed(0)} MB (the export reads 1,000 records a page; the raw select holds every row)`,
      'the export goes through the list endpoint page after page (keyset cursor), names each company (include), writes labelled CSV with formula neutralising',
    ],
    plans: [],
  };
};
