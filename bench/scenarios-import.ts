import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { ScenarioResult } from './bench-context.ts';
import { findFreePort, readCpuMs, readRssMb, repoRoot, startServerProcess, type StartedProcess } from './server-process.ts';
import { formatMs } from './stats.ts';
import { openDatabase, type Database } from '../packages/server/src/engine/db/database.ts';
import { createApiKey } from '../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../packages/server/src/modules/index.ts';

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Hedy', 'John', 'Sophie', 'Katherine', 'Niklaus', 'Leslie', 'Anita', 'Dennis'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Lamarr', 'McCarthy', 'Wilson', 'Johnson', 'Wirth', 'Lamport', 'Borg', 'Ritchie', 'Müller', 'Dupont', 'García', 'Rossi', 'Nowak'];
const CITIES: [string, string][] = [['Paris', 'FR'], ['Lyon', 'FR'], ['Berlin', 'DE'], ['Munich', 'DE'], ['London', 'GB'], ['Leeds', 'GB'], ['Madrid', 'ES'], ['Milan', 'IT'], ['Warsaw', 'PL'], ['Boston', 'US']];
const TITLES = ['CEO', 'CTO', 'Head of Sales', 'Account Executive', 'Engineer', 'Buyer', 'Office Manager', 'CFO'];
/** One row in 50 repeats the email of an earlier row: the import updates that person instead of adding one. */
const REPEAT_EVERY = 50;
const REPEAT_DISTANCE = 7_919;
const HEADERS = ['First Name', 'Last Name', 'Email', 'Phone', 'Title', 'Account Name', 'Mailing City', 'Mailing Country'];
const MAPPING = { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', Phone: 'phone', Title: 'jobTitle', 'Account Name': 'company', 'Mailing City': 'address.city', 'Mailing Country': 'address.country' };

const emailOf = (index: number) => `${FIRST[index % FIRST.length]!.toLowerCase()}.${index}@import${index % 997}.example`;

/** A Salesforce-style contacts export of `rows` people working at `companies` companies (written once, reused). */
export const writeImportFile = async (rows: number, companies: number): Promise<{ file: string; distinctEmails: number }> => {
  const file = join(repoRoot, 'bench/.data', `import-${rows}.csv`);
  let distinctEmails = 0;
  for (let index = 0; index < rows; index++) if (!(index % REPEAT_EVERY === REPEAT_EVERY - 1 && index >= REPEAT_DISTANCE)) distinctEmails += 1;
  if (existsSync(file)) return { file, distinctEmails };
  const out = createWriteStream(`${file}.part`);
  out.write(`${HEADERS.join(',')}\r\n`);
  let buffer = '';
  for (let index = 0; index < rows; index++) {
    const isRepeat = index % REPEAT_EVERY === REPEAT_EVERY - 1 && index >= REPEAT_DISTANCE;
    const [city, country] = CITIES[(index * 7) % CITIES.length]!;
    const company = `"Company ${String((index * 7_907) % companies).padStart(6, '0')}, Ltd"`;
    const phone = `+33 1 ${String(40_000_000 + (index % 9_999_999)).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
    buffer += `${FIRST[index % FIRST.length]},${LAST[(index * 3) % LAST.length]},${emailOf(isRepeat ? index - REPEAT_DISTANCE : index)},${phone},${TITLES[index % TITLES.length]},${company},${city},${country}\r\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  renameSync(`${file}.part`, file);
  return { file, distinctEmails };
};

/** POST /api/v1/imports as multipart form data, the file streamed from disk. */
const postImport = (port: number, token: string, file: string, fields: Record<string, string>) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const boundary = `----rapport-bench-${Date.now()}`;
    const head = Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const length = Buffer.byteLength(head) + statSync(file).size + Buffer.byteLength(tail);
    const request = http.request(
      { host: '127.0.0.1', port, path: '/api/v1/imports', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.write(head);
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', () => request.end(tail));
    stream.pipe(request, { end: false });
  });

const getJson = (port: number, token: string, path: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(body) as Record<string, unknown>) : reject(new Error(`GET ${path}: ${response.statusCode} ${body.slice(0, 300)}`))));
      })
      .on('error', reject);
  });

interface ImportScenarioOptions {
  engine: 'pglite' | 'postgres';
  env: NodeJS.ProcessEnv;
  /** How the scenario opens the database itself (before and after the server runs). */
  databaseOptions: { databaseUrl?: string; dataDir?: string };
  rows: number;
  log(message: string): void;
}

/**
 * The million-row import: a Salesforce-style contacts file into a workspace of its own, through the real
 * server (upload, durable job, company linking, dedupe on email), against the raw SQL that loads the same
 * file (COPY into a staging table, companies inserted distinct, people inserted with a join).
 */
export const runImportScenario = async ({ engine, env, databaseOptions, rows, log }: ImportScenarioOptions): Promise<ScenarioResult> => {
  const companies = Math.max(10, Math.round(rows / 20));
  const { file, distinctEmails } = await writeImportFile(rows, companies);
  const sizeMb = statSync(file).size / 1024 / 1024;
  let database: Database | undefined = await openDatabase(databaseOptions);
  let token: string;
  let schema: string;
  try {
    const summary = await createWorkspace({ db: database.db, name: `Import bench ${Date.now()}`, standardObjects });
    token = (await createApiKey(database.db, { workspaceId: summary.id, name: 'import bench' })).token;
    schema = (await sql<{ schema_name: string }>`select schema_name from rapport.workspace where id = ${summary.id}`.execute(database.db)).rows[0]!.schema_name;
  } finally {
    await database.close();
    database = undefined;
  }

  const port = await findFreePort();
  let server: StartedProcess | undefined;
  let ms = 0;
  let rssPeak = 0;
  let final: Record<string, unknown> = {};
  let cpuMs = 0;
  try {
    // RAPPORT_BENCH_IMPORT_CPU_PROF=DIR: the server writes a V8 CPU profile of the run into DIR.
    const profileDir = process.env.RAPPORT_BENCH_IMPORT_CPU_PROF;
    server = await startServerProcess({ env, port, timeoutMs: 120_000, ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}) });
    const rssBefore = readRssMb(server.pid);
    rssPeak = rssBefore;
    const cpuBefore = readCpuMs(server.pid);
    log(`  importing ${rows.toLocaleString('en-US')} rows (${sizeMb.toFixed(0)} MB)`);
    const started = performance.now();
    const posted = await postImport(port, token, file, { object: 'person', upsertOn: 'email', mapping: JSON.stringify(MAPPING) });
    if (posted.status !== 202) throw new Error(`POST /api/v1/imports answered ${posted.status}: ${posted.body.slice(0, 500)}`);
    const { id } = JSON.parse(posted.body) as { id: string };
    const uploadMs = performance.now() - started;
    let lastLogged = performance.now();
    for (;;) {
      rssPeak = Math.max(rssPeak, readRssMb(server.pid));
      final = await getJson(port, token, `/api/v1/imports/${id}`);
      if (final.status === 'completed' || final.status === 'failed') break;
      if (performance.now() - lastLogged > 10_000) {
        lastLogged = performance.now();
        log(`    ${String(final.status)}: ${Number(final.processed).toLocaleString('en-US')} rows`);
      }
      await sleep(250);
    }
    ms = performance.now() - started;
    cpuMs = readCpuMs(server.pid) - cpuBefore;
    log(`  import ${String(final.status)} in ${formatMs(ms)} (upload ${formatMs(uploadMs)}): ${JSON.stringify({ created: final.created, updated: final.updated, failed: final.failed })}`);
    if (final.status !== 'completed') throw new Error(`the import ${String(final.status)}: ${String(final.error)}`);
  } finally {
    await server?.stop();
  }

  // The same file by hand: COPY into a staging table, the distinct companies, then the people joined to them.
  database = await openDatabase(databaseOptions);
  let rawMs = 0;
  let people = 0;
  try {
    people = Number((await sql<{ n: string }>`select count(*) as n from ${sql.id(schema, 'person')} where deleted_at is null`.execute(database.db)).rows[0]!.n);
    const linked = Number((await sql<{ n: string }>`select count(*) as n from ${sql.id(schema, 'person')} where company_id is not null`.execute(database.db).catch(() => ({ rows: [{ n: '-1' }] }))).rows[0]!.n);
    log(`  ${people.toLocaleString('en-US')} people stored (${distinctEmails.toLocaleString('en-US')} distinct emails in the file), ${linked < 0 ? '?' : linked.toLocaleString('en-US')} linked to a company`);
    await sql`create schema if not exists bench_raw_import`.execute(database.db);
    await sql`drop table if exists bench_raw_import.staging, bench_raw_import.company, bench_raw_import.person`.execute(database.db);
    await sql`create unlogged table bench_raw_import.staging (first_name text, last_name text, email text, phone text, title text, company text, city text, country text)`.execute(database.db);
    await sql`create table bench_raw_import.company (id uuid primary key default gen_random_uuid(), name text not null unique)`.execute(database.db);
    await sql`create table bench_raw_import.person (id uuid primary key default gen_random_uuid(), first_name text, last_name text, email text unique, phone text, job_title text, company_id uuid references bench_raw_import.company(id), city text, country text)`.execute(database.db);
    const started = performance.now();
    const csv = readFileSync(file, 'utf8');
    await database.copyCsv({ table: 'bench_raw_import.staging', columns: ['first_name', 'last_name', 'email', 'phone', 'title', 'company', 'city', 'country'], csv: csv.slice(csv.indexOf('\n') + 1) });
    await sql`insert into bench_raw_import.company (name) select distinct company from bench_raw_import.staging`.execute(database.db);
    await sql`insert into bench_raw_import.person (first_name, last_name, email, phone, job_title, company_id, city, country)
      select distinct on (s.email) s.first_name, s.last_name, s.email, s.phone, s.title, c.id, s.city, s.country
      from bench_raw_import.staging s join bench_raw_import.company c on c.name = s.company
      on conflict (email) do update set first_name = excluded.first_name`.execute(database.db);
    rawMs = performance.now() - started;
    await sql`drop schema bench_raw_import cascade`.execute(database.db);
  } finally {
    await database.close();
  }
  const target = engine === 'postgres' ? 60_000 * (rows / 1_000_000) : undefined;
  const isJudged = engine === 'postgres' && rows >= 100_000;
  return {
    name: `Import ${rows.toLocaleString('en-US')} people from a ${sizeMb.toFixed(0)} MB CSV (Salesforce headers) with company linking (${companies.toLocaleString('en-US')} companies created on the way) and dedupe on email, POST /api/v1/imports through the durable job`,
    target: engine === 'postgres' ? `< ${formatMs(target!)}${rows === 1_000_000 ? '' : ' (scaled from 60 s for 1M)'}` : 'none (report the figure)',
    pass: isJudged ? ms < target! : undefined,
    api: `${formatMs(ms)} · ${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s · created ${Number(final.created).toLocaleString('en-US')}, updated ${Number(final.updated).toLocaleString('en-US')}, failed ${Number(final.failed).toLocaleString('en-US')}`,
    raw: `${formatMs(rawMs)} (COPY into a staging table, insert the distinct companies, insert the people joined to them with on conflict (email))`,
    ratio: rawMs > 0 ? `×${(ms / rawMs).toFixed(1)}` : '—',
    notes: [
      `server process memory (RSS) peak ${rssPeak.toFixed(0)} MB while importing; server CPU ${formatMs(cpuMs)}`,
      `${people.toLocaleString('en-US')} people stored for ${distinctEmails.toLocaleString('en-US')} distinct emails (one row in ${REPEAT_EVERY} repeats an earlier email)`,
      'every row goes through the write path: validation, defaults, formulas, rules, search text, history and an event per record',
    ],
    plans: [],
  };
};
