import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

import { isTransactionEnd, isTransactionStart, MAX_STATEMENT_LENGTH, MAX_STATEMENTS, STALE_STATEMENT_CODES } from './prepared-statements.ts';

type PGliteModule = typeof import('@electric-sql/pglite');

// PGlite is one session in one process: every use of it goes through this one connection,
// handed out to one caller at a time so transactions never interleave.
class PGliteConnection implements DatabaseConnection {
  private readonly parsers: Record<number, (value: string, typeId?: number) => unknown>;
  private inTransaction = false;
  private generation = 0;
  /** Statements prepared in the session, by SQL text (the same policy as prepared-statements.ts on PostgreSQL). */
  private readonly prepared = new Map<string, string>();

  constructor(
    private readonly pg: PGlite,
    private readonly module: PGliteModule,
    private readonly prepareValue: (value: unknown) => unknown,
  ) {
    this.parsers = (pg as unknown as { parsers: Record<number, (value: string, typeId?: number) => unknown> }).parsers;
  }

  // One trip into the engine per statement. PGlite's query() sends parse, describe, bind, describe,
  // execute and sync as six trips, the first describe only to learn how to serialise the parameters.
  // Here the parameters travel as text with unspecified types, exactly as node-postgres sends them on
  // the PostgreSQL engine (its own prepareValue), so both engines read the same SQL the same way.
  // Outside a transaction a statement is prepared under a name once, as on PostgreSQL: later runs skip
  // parsing and, after five, planning, which in WebAssembly costs more than running a lookup by id.
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const text = compiled.sql;
    const values = (compiled.parameters as unknown[]).map(this.prepareValue) as (string | null)[];
    if (isTransactionStart(text)) this.inTransaction = true;
    else if (isTransactionEnd(text)) this.inTransaction = false;
    const isPreparable = !this.inTransaction && values.length > 0 && text.length <= MAX_STATEMENT_LENGTH;
    if (!isPreparable) return this.run<R>(text, values);
    let name = this.prepared.get(text);
    if (name) {
      try {
        return await this.run<R>(text, values, { name, isParsed: true });
      } catch (error) {
        if (!STALE_STATEMENT_CODES.has((error as { code?: string }).code ?? '')) throw error;
        // The statement's tables changed shape: start a new generation of names and run it unnamed.
        this.generation++;
        this.prepared.clear();
        return this.run<R>(text, values);
      }
    }
    if (this.prepared.size >= MAX_STATEMENTS) return this.run<R>(text, values);
    name = `rapport_${this.generation}_${this.prepared.size}`;
    try {
      const result = await this.run<R>(text, values, { name, isParsed: false });
      this.prepared.set(text, name);
      return result;
    } catch (error) {
      // Parsed but failed to run (a constraint, a bad value): drop the statement so the name is free again.
      const { serialize } = this.module.protocol;
      await this.pg.runExclusive(() => this.pg.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()]), { throwOnError: false }));
      throw error;
    }
  }

  private async run<R>(text: string, values: (string | null)[], statement?: { name: string; isParsed: boolean }): Promise<QueryResult<R>> {
    const { serialize } = this.module.protocol;
    const parts = [
      ...(statement?.isParsed ? [] : [serialize.parse({ text, types: [], ...(statement ? { name: statement.name } : {}) })]),
      serialize.bind({ values, ...(statement ? { statement: statement.name } : {}) }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ];
    const { messages } = await this.pg.runExclusive(() => this.pg.execProtocol(concat(parts)));
    const [result] = this.module.parse.parseResults(messages, this.parsers);
    return {
      rows: (result?.rows ?? []) as R[],
      ...(result?.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on PGlite; page with a cursor instead.');
  }
}

class PGliteDriver implements Driver {
  private connection: PGliteConnection | undefined;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  // The instance may still be opening: Kysely initialises the driver on its first query, which waits.
  constructor(private readonly opening: PGlite | Promise<PGlite>) {}

  async init(): Promise<void> {
    // Loaded here, not at the top: a server on PostgreSQL never loads the WebAssembly engine.
    const [pg, module, { default: pgUtils }] = await Promise.all([this.opening, import('@electric-sql/pglite'), import('pg/lib/utils.js')]);
    this.connection = new PGliteConnection(pg, module, pgUtils.prepareValue);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection!;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.queue;
    const pg = await Promise.resolve(this.opening).catch(() => undefined);
    if (pg && !pg.closed) await pg.close();
  }
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite | Promise<PGlite>) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
