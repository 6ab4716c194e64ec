import { sql } from 'kysely';
import { openDatabase } from '../packages/server/src/engine/db/database.ts';
import { migrate } from '../packages/server/src/engine/db/migrate.ts';
import { createWorkspace } from '../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../packages/server/src/modules/index.ts';
import { seedDemo } from '../packages/server/src/modules/demo/seed-demo.ts';
import { findPostgresBinDir, startBenchCluster } from './postgres.ts';
const engine = process.argv[2] ?? 'postgres';
const n = Number(process.argv[3] ?? 100000);
const cluster = engine === 'postgres' ? await startBenchCluster(findPostgresBinDir()!) : undefined;
try {
  const database = await openDatabase(cluster ? { databaseUrl: await cluster.createDatabase('x') } : { dataDir: 'memory://' });
  await migrate(database.db);
  const ws = await createWorkspace({ db: database.db, name: 'Demo', standardObjects });
  const { rows: idx } = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where schemaname = ${ws.schema} and tablename = 'person' and indexdef not like '%UNIQUE%'`.execute(database.db);
  for (const i of idx) await sql`drop index ${sql.id(ws.schema, i.indexname)}`.execute(database.db);
  let t = performance.now();
  const r = await seedDemo({ database, workspaceId: ws.id, people: n, onProgress: (p) => { if (p.done === p.total) console.log(p.object, p.total, Math.round(performance.now() - t)); } });
  console.log('seed without person secondary indexes', r);
  for (const i of idx) {
    t = performance.now();
    await sql.raw(i.indexdef).execute(database.db);
    console.log(Math.round(performance.now() - t), 'ms', i.indexdef);
  }
  await database.close();
} finally { cluster?.stop(); }
