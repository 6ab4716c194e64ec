import { sql } from 'kysely';
import { openDatabase } from '../db/database.ts';
const d = await openDatabase({ dataDir: 'memory://' });
const db = d.db;
const q = async (label: string, s: any) => { try { const r = await s.execute(db); console.log(label, JSON.stringify(r.rows)); } catch (e: any) { console.log(label, 'ERR', e.message); } };
await q('db', sql`select datname, datcollate, datctype, datlocprovider, version() from pg_database`);
await q('cmp', sql`select 'a' < 'B' x, 'é' < 'f' y, upper('ß') z, lower('Σ') s, 'ǅ' ilike 'ǆ' dz, 'İ' ilike 'i' i1, 'K' ilike 'k' kelvin`);
await d.close();
