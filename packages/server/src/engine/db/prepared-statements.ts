import type { Pool, PoolClient, QueryResult } from 'pg';

/** The part of a pg pool Kysely's PostgresDialect uses. */
export interface QueryPool {
  connect(): Promise<PreparingClient>;
  end(): Promise<void>;
}

export interface PreparingClient {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
  release(error?: Error | boolean): void;
}

/** Named statements per connection; past this, statements run unnamed. */
export const MAX_STATEMENTS = 500;
export const MAX_STATEMENT_LENGTH = 8_000;

// feature_not_supported: "cached plan must not change result type" (a `select *` after a column was
// added); invalid_sql_statement_name: the statement is gone from the session.
export const STALE_STATEMENT_CODES = new Set(['0A000', '26000']);

export const isTransactionStart = (text: string) => /^\s*(begin|start\s+transaction)\b/i.test(text);
export const isTransactionEnd = (text: string) => /^\s*(commit|end|rollback(?!\s+to\b))\b/i.test(text);

/**
 * Prepares the statements each connection runs outside a transaction, under a name per SQL text: the
 * server then parses a statement once per connection and, after five runs with the same plan, plans
 * it once too. A lookup by id spent more time being parsed and planned (one index per field for the
 * planner to weigh) than run. Inside a transaction statements run unnamed, so a stale prepared
 * statement (its table altered since) can never abort a write; outside one it is retried unnamed and
 * the connection starts a new generation of names.
 */
export const createPreparingPool = (pool: Pool): QueryPool => {
  const clients = new WeakMap<PoolClient, PreparingClient>();
  const wrap = (client: PoolClient): PreparingClient => {
    let inTransaction = false;
    let generation = 0;
    const names = new Map<string, string>();
    return {
      query(text, values = []) {
        if (isTransactionStart(text)) inTransaction = true;
        else if (isTransactionEnd(text)) inTransaction = false;
        if (inTransaction || values.length === 0 || text.length > MAX_STATEMENT_LENGTH) return client.query(text, values);
        let name = names.get(text);
        if (!name) {
          if (names.size >= MAX_STATEMENTS) return client.query(text, values);
          names.set(text, (name = `rapport_${generation}_${names.size}`));
        }
        return client.query({ name, text, values }).catch((error: { code?: string }) => {
          if (!STALE_STATEMENT_CODES.has(error.code ?? '')) throw error;
          generation++;
          names.clear();
          return client.query(text, values);
        });
      },
      release: (error) => client.release(error),
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = wrap(client)));
      return wrapped;
    },
    end: () => pool.end(),
  };
};
