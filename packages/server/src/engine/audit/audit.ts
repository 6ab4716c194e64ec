import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Audit actions are dotted names: `auth.sign_in.succeeded`, `auth.sign_in.failed`, `auth.sign_out`,
 * `auth.totp.enabled`, `auth.totp.disabled`, `auth.password.reset`, `user.created`, `user.updated`,
 * `user.deactivated`, `role.created`, `role.updated`, `role.deleted`, `team.*`, `sharing_rule.*`,
 * `apikey.created`, `apikey.revoked`, `export.created`, `import.created`, `record.deleted`, `record.restored`,
 * `metadata.*`, `admin.*`, `keys.data_key.rotated`, `keys.values.reencrypted`, `keys.data_key.retired`,
 * `keys.master_key.rotated` (instance scope).
 */
export interface AuditEntry {
  workspaceId: string | null;
  actorId: string | null;
  action: string;
  objectName?: string | null;
  recordId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

/** The insert of one audit entry, for a statement that carries it along with the change it records. */
export const auditInsert = (entry: AuditEntry): RawBuilder<unknown> =>
  sql`insert into rapport.audit_log (workspace_id, actor_id, action, object_name, record_id, ip, user_agent, details)
    values (${entry.workspaceId}, ${entry.actorId}, ${entry.action}, ${entry.objectName ?? null}, ${entry.recordId ?? null},
      ${entry.ip ?? null}, ${entry.userAgent?.slice(0, 500) ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb)`;

/** Appends to the audit log; pass the transaction when the audited change is transactional. */
export const recordAudit = async (db: Db, entry: AuditEntry): Promise<void> => {
  await auditInsert(entry).execute(db);
};

/** Request facts every audit entry made from an HTTP request carries. */
export const requestFacts = (request: { ip: string; headers: Record<string, string | string[] | undefined> }) => ({
  ip: request.ip,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
});
