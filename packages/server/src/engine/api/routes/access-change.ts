import type { FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { isUuid } from '../../fields/types/relation.field.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';

export interface AccessChange<T> {
  /** Dotted audit action: `role.created`, `team.updated`, `sharing_rule.deleted`... */
  action: string;
  /** Makes the change in the transaction; returns what to answer and what to audit. */
  run(trx: Db): Promise<{ result: T; recordId: string; details?: Record<string, unknown> }>;
}

/**
 * Roles, teams, territories and sharing rules change who sees what: only workspace admins may change
 * them, each change is audited in its transaction, and every server drops the cached access profiles.
 */
export const changeAccess = async <T>(services: EngineServices, request: FastifyRequest, change: AccessChange<T>): Promise<T> => {
  const { principal, workspace, actorId } = getContext(request);
  const db = services.database.db;
  await assertWorkspaceAdmin(db, principal);
  const result = await db.transaction().execute(async (trx) => {
    const outcome = await change.run(trx);
    await recordAudit(trx, {
      workspaceId: workspace.id,
      actorId,
      action: change.action,
      recordId: outcome.recordId,
      ...requestFacts(request),
      ...(outcome.details ? { details: outcome.details } : {}),
    });
    return outcome.result;
  });
  services.onAccessChanged(workspace.id);
  return result;
};

/** Ids in paths are UUIDs; anything else names nothing (404, like an unknown id). */
export const assertResourceId = (id: string, what: string): string => {
  if (!isUuid(id)) throw new AppError('RECORD_NOT_FOUND', `No ${what} ${id} in this workspace.`);
  return id.toLowerCase();
};
