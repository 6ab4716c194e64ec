import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { AppError, isAppError, validationFailed } from '../../../engine/errors.ts';
import { getTeam } from '../../../engine/permissions/team.service.ts';
import { getFieldTypeHandler } from '../../../engine/fields/registry.ts';
import { isUuid } from '../../../engine/fields/types/relation.field.ts';
import type { ObjectMeta, WorkspaceMeta } from '../../../engine/metadata/types.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { getReadableObject } from '../../../engine/permissions/assert-access.ts';
import { columnOf, tableOf } from '../../../engine/query/sql-parts.ts';
import { parsePeriod, type Period } from './periods.ts';

/** What a sales figure is asked for: a period, and optionally one pipeline and one rep or team. */
export interface DealScopeQuery {
  period?: string;
  pipeline?: string;
  ownerId?: string;
  teamId?: string;
}

export interface DealScope {
  period: Period;
  pipelineId?: string;
  /** The reps whose deals count (one rep, or a team's members); undefined: everyone the caller may see. */
  ownerIds?: string[];
  ownerId?: string;
  teamId?: string;
}

/** Reads the query parameters every sales figure shares, with per-field errors. */
export const readDealScope = async (db: Db, workspace: WorkspaceMeta, query: DealScopeQuery, options: { defaultPeriod?: string } = {}): Promise<DealScope> => {
  const errors: { field: string; code: string; message: string }[] = [];
  const periodText = query.period ?? options.defaultPeriod;
  const period = periodText ? parsePeriod(periodText) : undefined;
  if (!period) errors.push({ field: 'period', code: periodText ? 'invalidFormat' : 'required', message: 'A period: 2026, 2026-Q4, 2026-11 or 2026-W48.' });
  for (const name of ['pipeline', 'ownerId', 'teamId'] as const) {
    if (query[name] !== undefined && !isUuid(query[name])) errors.push({ field: name, code: 'invalidType', message: 'An id (a UUID).' });
  }
  if (query.ownerId && query.teamId) errors.push({ field: 'teamId', code: 'invalidChoice', message: 'Ask for one rep or one team, not both.' });
  if (errors.length > 0) throw validationFailed(errors, 'The figures cannot be computed for these parameters.');
  let ownerIds: string[] | undefined = query.ownerId ? [query.ownerId.toLowerCase()] : undefined;
  if (query.teamId) {
    const team = await getTeam(db, workspace.id, query.teamId.toLowerCase()).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'RECORD_NOT_FOUND') throw validationFailed([{ field: 'teamId', code: 'notFound', message: 'No team of this workspace has this id.' }]);
      throw error;
    });
    ownerIds = team.memberIds;
  }
  return {
    period: period!,
    ...(query.pipeline ? { pipelineId: query.pipeline.toLowerCase() } : {}),
    ...(ownerIds ? { ownerIds } : {}),
    ...(query.ownerId ? { ownerId: query.ownerId.toLowerCase() } : {}),
    ...(query.teamId ? { teamId: query.teamId.toLowerCase() } : {}),
  };
};

/** The opportunity columns the figures read, as `t0.<column>`. */
export interface DealColumns {
  amount: RawBuilder<unknown>;
  currency: RawBuilder<unknown>;
  closeDate: RawBuilder<unknown>;
  stage: RawBuilder<unknown>;
  pipeline: RawBuilder<unknown>;
  owner: RawBuilder<unknown>;
  probability: RawBuilder<unknown>;
  forecastCategory: RawBuilder<unknown>;
  managerForecastCategory: RawBuilder<unknown>;
  stageEnteredAt: RawBuilder<unknown>;
  createdAt: RawBuilder<unknown>;
}

const NEEDED = ['amount', 'closeDate', 'stage', 'pipeline', 'owner', 'probability', 'forecastCategory', 'managerForecastCategory', 'stageEnteredAt'] as const;

export interface DealTables {
  workspace: WorkspaceMeta;
  deals: ObjectMeta;
  stages: ObjectMeta;
  table: RawBuilder<unknown>;
  stageTable: RawBuilder<unknown>;
  columns: DealColumns;
  /** `s.<column>` of the stage joined as `s`. */
  stage: { kind: RawBuilder<unknown>; probability: RawBuilder<unknown> };
}

/**
 * The deal tables for a caller: they must read opportunities and every field the figures use (a field hidden from
 * them would otherwise leak through a total).
 */
export const dealTables = (access: Access): DealTables => {
  const workspace = access.workspace;
  const visible = getReadableObject(access, 'opportunity');
  const hidden = NEEDED.filter((name) => !visible.fieldsByName.has(name));
  if (hidden.length > 0) throw new AppError('FORBIDDEN', `Sales figures read the opportunity fields ${hidden.join(', ')}, which your role does not show.`);
  const deals = workspace.objects.get('opportunity')!;
  const stages = workspace.objects.get('pipelineStage');
  if (!stages) throw new AppError('OBJECT_NOT_FOUND', 'This workspace has no pipeline stages.');
  const column = (name: string) => columnOf('t0', deals.fieldsByName.get(name)!.column);
  const [amount, currency] = getFieldTypeHandler('currency').columns(deals.fieldsByName.get('amount')!);
  return {
    workspace,
    deals,
    stages,
    table: tableOf(workspace, deals),
    stageTable: tableOf(workspace, stages),
    columns: {
      amount: columnOf('t0', amount!.column),
      currency: sql`${columnOf('t0', currency!.column)}::text`,
      closeDate: column('closeDate'),
      stage: column('stage'),
      pipeline: column('pipeline'),
      owner: column('owner'),
      probability: column('probability'),
      forecastCategory: column('forecastCategory'),
      managerForecastCategory: column('managerForecastCategory'),
      stageEnteredAt: column('stageEnteredAt'),
      createdAt: columnOf('t0', 'created_at'),
    },
    stage: { kind: columnOf('s', stages.fieldsByName.get('kind')!.column), probability: columnOf('s', stages.fieldsByName.get('probability')!.column) },
  };
};

/** Live deals of the scope's pipeline and reps that the caller may read (their row condition included). */
export const dealConditions = (access: Access, tables: DealTables, scope: Pick<DealScope, 'pipelineId' | 'ownerIds'>): RawBuilder<unknown> => {
  const conditions: RawBuilder<unknown>[] = [sql`t0.deleted_at is null`];
  if (scope.pipelineId) conditions.push(sql`${tables.columns.pipeline} = ${scope.pipelineId}::uuid`);
  if (scope.ownerIds) conditions.push(sql`${tables.columns.owner} = any(${scope.ownerIds}::uuid[])`);
  const readable = access.rows.predicate({ object: tables.deals, alias: 't0', mode: 'read' });
  if (readable) conditions.push(readable);
  return sql.join(conditions, sql` and `);
};
