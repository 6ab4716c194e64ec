// Baseline for "start to healthy" and "memory idle": a bare Node process that opens the same
// database (DATABASE_URL or RAPPORT_DATA_DIR/pglite), runs `select 1`, says "ready" and idles.
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../packages/server/src/engine/db/database.ts';

const database = await openDatabase(
  process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: join(process.env.RAPPORT_DATA_DIR ?? 'data', 'pglite') },
);
await sql`select 1`.execute(database.db);
console.log('ready');
const close = () => database.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', close);
process.once('SIGINT', close);
setInterval(() => undefined, 60_000);
