import { sql } from 'kysely';
import { openDatabase } from '../packages/server/src/engine/db/database.ts';
import { migrate } from '../packages/server/src/engine/db/migrate.ts';
import { createWorkspace } from '../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../packages/server/src/modules/index.ts';
import { loadWorkspaceMeta } from '../packages/server/src/engine/metadata/metadata-store.ts';
import { createObjectCsvEncoder } from '../packages/server/src/modules/demo/csv-encoder.ts';
import { buildDemoWorld } from '../packages/server/src/modules/demo/demo-world.ts';
import { makeCompany, makePerson, computeFullName } from '../packages/server/src/modules/demo/demo-records.ts';
import { findPostgresBinDir, startBenchCluster } from './postgres.ts';
const engine = process.argv[2] ?? 'postgres';
const N = Number(process.argv[3] ?? 100000);
const dropIdx = process.argv[4] === 'drop';
const cluster = engine === 'postgres' ? await startBenchCluster(findPostgresBinDir()!) : undefined;
try {
  const database = await openDatabase(cluster ? { databaseUrl: await cluster.createDatabase('x') } : { dataDir: 'memory://' });
  await migrate(database.db);
  const ws = await createWorkspace({ db: database.db, name: 'Demo', standardObjects });
  const workspace = await loadWorkspaceMeta(database.db, ws.id);
  const world = await buildDemoWorld({ seed: 1, emailCounterStart: 1 });
  const ce = createObjectCsvEncoder({ workspace, object: workspace.objects.get('company')!, memoizedFields: ['phone'] });
  const pe = createObjectCsvEncoder({ workspace, object: workspace.objects.get('person')!, memoizedFields: ['phone'], formulas: { fullName: computeFullName } });
  const choices = { industries: ['software'], stages: [], taskStatuses: [], priorities: [] };
  const clines: string[] = [];
  for (let i = 0; i < N / 10; i++) clines.push(ce.encode(makeCompany(world, choices, (v) => ce.convert('phone', v).ok)));
  await database.copyCsv({ table: ce.table, columns: ce.columns, csv: clines.join('') });
  let t = performance.now();
  const chunks: string[] = [];
  for (let c = 0; c < N; c += 20000) { const lines: string[] = []; for (let i = c; i < c + 20000; i++) lines.push(pe.encode(makePerson(world, i, (v) => pe.convert('phone', v).ok))); chunks.push(lines.join('')); }
  console.log('generate', Math.round(performance.now() - t), 'ms', (performance.now() - t) / N * 1000, 'us/row');
  if (dropIdx) {
    const { rows: idx } = await sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = ${ws.schema} and tablename = 'person' and indexdef not like '%UNIQUE%'`.execute(database.db);
    for (const i of idx) await sql`drop index ${sql.id(ws.schema, i.indexname)}`.execute(database.db);
  }
  t = performance.now();
  for (const csv of chunks) await database.copyCsv({ table: pe.table, columns: pe.columns, csv });
  console.log('copy', dropIdx ? 'no secondary idx' : 'all idx', Math.round(performance.now() - t), 'ms', (performance.now() - t) / N * 1000, 'us/row');
  await database.close();
} finally { cluster?.stop(); }
