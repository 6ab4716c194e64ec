import { sql } from 'kysely';
import { createDefaultLicences, FALLBACK_LICENCE } from '../../licences/licence-types.ts';
import type { Migration } from '../migrate.ts';

/**
 * Licences, seats, single sign-on and the audit log API (issue 3): default licence types for
 * workspaces made before them, the idle time that releases a concurrent seat, the link between an
 * OpenID Connect subject and a user, and an audit log that refuses deletes as well as updates.
 */
export const licencesSsoAuditMigration: Migration = {
  name: '005-licences-sso-audit',
  async up(db) {
    await sql`alter table rapport.licence_type add column idle_minutes integer not null default 30 check (idle_minutes between 1 and 10080)`.execute(db);

    // A provider's subject (`sub`) is stable where an email address is not: once linked, it finds the user.
    await sql`
      create table rapport.oidc_identity (
        provider_id uuid not null references rapport.oidc_provider(id) on delete cascade,
        subject text not null,
        user_id uuid not null references rapport.user(id) on delete cascade,
        created_at timestamptz not null default now(),
        last_sign_in_at timestamptz,
        primary key (provider_id, subject)
      )`.execute(db);
    await sql`create index oidc_identity_user_idx on rapport.oidc_identity (user_id)`.execute(db);

    await sql`create index audit_log_actor_idx on rapport.audit_log (workspace_id, actor_id, id desc)`.execute(db);
    await sql`
      create trigger audit_log_no_delete before delete on rapport.audit_log
      for each row execute function rapport.audit_log_append_only()`.execute(db);

    const { rows } = await sql<{ id: string }>`select id from rapport.workspace`.execute(db);
    for (const workspace of rows) {
      await createDefaultLicences(db, workspace.id);
      await sql`update rapport.workspace_member set licence = ${FALLBACK_LICENCE} where workspace_id = ${workspace.id} and licence is null`.execute(db);
    }
  },
};
