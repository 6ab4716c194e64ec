import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Database } from '../../engine/db/database.ts';

export interface BulkLoadOptions {
  database: Database;
  /** Quoted `"schema"."table"`. */
  table: string;
  /** Quoted column names. */
  columns: string[];
  total: number;
  /** CSV line (newline included) of row `index`; generation order is load order. */
  makeLine(index: number): string;
  onProgress?(done: number): void;
}

/** Rows per COPY: big enough to amortise a statement, small enough to keep a chunk's CSV in tens of MB. */
const CHUNK_ROWS = 10_000;
/** Rows generated between two turns of the event loop, so the previous chunk streams to PostgreSQL meanwhile. */
const SLICE_ROWS = 1_000;

/**
 * Loads generated rows with COPY, chunk by chunk: the next chunk is generated while the previous one
 * loads (PostgreSQL runs it in another process; PGlite shares this thread, so there it is sequential).
 * Each chunk commits on its own: a failure leaves the chunks loaded so far.
 */
export const bulkLoad = async ({ database, table, columns, total, makeLine, onProgress }: BulkLoadOptions): Promise<void> => {
  let loading: Promise<void> | undefined;
  for (let start = 0; start < total; start += CHUNK_ROWS) {
    const end = Math.min(total, start + CHUNK_ROWS);
    const lines: string[] = [];
    for (let index = start; index < end; index++) {
      lines.push(makeLine(index));
      if ((index - start) % SLICE_ROWS === SLICE_ROWS - 1) await yieldToEventLoop();
    }
    await loading;
    onProgress?.(start);
    loading = database.copyCsv({ table, columns, csv: lines.join('') });
    // Handled here so a failure while the next chunk is generated is not an unhandled rejection; awaited below.
    loading.catch(() => undefined);
  }
  await loading;
  onProgress?.(total);
};

/**
 * After a load: fresh statistics, so the planner sees the new row counts now rather than after
 * autovacuum, and a vacuum that marks the new pages all-visible (index-only scans) and sets their
 * hint bits, which the first reads would otherwise write.
 */
export const vacuumAnalyzeTables = async (database: Database, tables: string[]): Promise<void> => {
  for (const table of tables) await sql`vacuum (analyze) ${sql.raw(table)}`.execute(database.db);
};
