import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import type { Db } from '../packages/server/src/engine/db/database.ts';

/** The statements the API ran for one request, as PostgreSQL received them. */
export interface SqlCapture {
  /** The same database with the capturing plugin: give it to a diagnostic app. */
  db: Db;
  record<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CompiledQuery[] }>;
}

// Observes through Kysely's public plugin hook, so it needs nothing from the query compiler.
export const createSqlCapture = (db: Db): SqlCapture => {
  let captured: { node: RootOperationNode; queryId: QueryId }[] | undefined;
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      captured?.push({ node, queryId });
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const wrapped = db.withPlugin(plugin);
  return {
    db: wrapped,
    async record(fn) {
      captured = [];
      try {
        const result = await fn();
        return { result, queries: captured.map(({ node, queryId }) => wrapped.getExecutor().compileQuery(node, queryId)) };
      } finally {
        captured = undefined;
      }
    },
  };
};

export interface PlanSummary {
  sql: string;
  /** `Limit → Index Scan using x on person` */
  path: string;
  indexes: string[];
  hasSeqScan: boolean;
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const describeNode = (node: PlanNode) =>
  `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`;

const walk = (node: PlanNode, visit: (node: PlanNode) => void) => {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
};

/** The main chain of the plan: each node and its first child, down to the first scan. */
const mainPath = (root: PlanNode): string => {
  const steps: string[] = [];
  for (let node: PlanNode | undefined = root; node && steps.length < 6; node = node.Plans?.[0]) steps.push(describeNode(node));
  return steps.join(' → ');
};

/**
 * EXPLAIN ANALYZE of captured selects, replayed in a rolled-back transaction on one connection;
 * `set_config` calls are replayed as they ran (search sets its trigram threshold that way).
 */
export const explainQueries = async (db: Db, queries: readonly CompiledQuery[], isRelevant: (text: string) => boolean): Promise<PlanSummary[]> =>
  db.connection().execute(async (connection) => {
    const summaries: PlanSummary[] = [];
    await sql`begin`.execute(connection);
    try {
      for (const query of queries) {
        const text = query.sql.trim();
        if (/^select set_config/i.test(text)) {
          await connection.executeQuery(CompiledQuery.raw(text, [...query.parameters]));
          continue;
        }
        if (!/^(select|with)\b/i.test(text) || !isRelevant(text)) continue;
        const { rows } = await connection.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`explain (analyze, format json) ${text}`, [...query.parameters]));
        const raw = rows[0]?.['QUERY PLAN'];
        const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode; 'Execution Time': number }[];
        const root = plan[0]!.Plan;
        const indexes = new Set<string>();
        let hasSeqScan = false;
        walk(root, (node) => {
          if (node['Index Name']) indexes.add(node['Index Name']);
          if (node['Node Type'] === 'Seq Scan') hasSeqScan = true;
        });
        summaries.push({ sql: text.replace(/\s+/g, ' '), path: mainPath(root), indexes: [...indexes], hasSeqScan, executionMs: plan[0]!['Execution Time'] });
      }
    } finally {
      await sql`rollback`.execute(connection);
    }
    return summaries;
  });
