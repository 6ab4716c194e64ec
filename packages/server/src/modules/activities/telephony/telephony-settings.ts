import { randomBytes } from 'node:crypto';
import type { FieldError } from '@rapport/common';
import { normalizePhone } from '@rapport/common/values/index';
import { sql } from 'kysely';
import { isUuid } from '../../../engine/fields/types/relation.field.ts';
import { findMemberIds } from '../../../engine/identity/users.service.ts';
import type { Db } from '../../../engine/db/database.ts';
import { validationFailed } from '../../../engine/errors.ts';
import type { SecretBox } from '../../../engine/identity/secret-box.ts';
import { TELEPHONY_PROVIDERS, type TelephonyProvider } from './telephony-adapter.ts';

/** A workspace's telephony set-up as the admin API shows it: never the secret, only its last characters. */
export interface TelephonySettings {
  provider: TelephonyProvider;
  hasSecret: boolean;
  secretHint: string | null;
  webhookToken: string;
  /** A provider number (E.164) or extension → the user who answers it and places calls from it. */
  lines: Record<string, string>;
  /** For numbers a provider sends without a country code (ISO 3166 alpha-2). */
  defaultCountry: string | null;
  updatedAt: string;
}

/** What the webhook needs: the secret, opened. */
export interface TelephonyConfig extends TelephonySettings {
  workspaceId: string;
  secret: string | null;
}

export interface TelephonySettingsInput {
  provider: TelephonyProvider;
  /** Omitted: the stored one is kept. */
  secret?: string;
  lines?: Record<string, string>;
  defaultCountry?: string | null;
  /** A new webhook URL (the old one stops working at once). */
  rotateWebhookToken?: boolean;
}

interface SettingsRow {
  workspace_id: string;
  provider: TelephonyProvider;
  secret: string | null;
  webhook_token: string;
  lines: Record<string, string>;
  default_country: string | null;
  updated_at: string;
}

export const MIN_SECRET_LENGTH = 16;

/** A line as the lookups key it: a number in E.164, anything else (an extension, an email) trimmed and lower-cased. */
export const toLineKey = (value: string, defaultCountry: string | null): string => {
  const phone = normalizePhone(value, defaultCountry ?? undefined);
  return phone.ok ? phone.value : value.trim().toLowerCase();
};

const toConfig = (row: SettingsRow, secretBox: SecretBox): TelephonyConfig => {
  const secret = row.secret === null ? null : secretBox.open(row.secret);
  return {
    workspaceId: row.workspace_id,
    provider: row.provider,
    secret,
    hasSecret: secret !== null,
    secretHint: secret === null ? null : `…${secret.slice(-4)}`,
    webhookToken: row.webhook_token,
    lines: row.lines,
    defaultCountry: row.default_country,
    updatedAt: row.updated_at,
  };
};

/** Without the secret: what an admin is shown. */
export const toPublicSettings = ({ secret: _secret, workspaceId: _workspaceId, ...settings }: TelephonyConfig): TelephonySettings => settings;

export const findTelephonyConfig = async (db: Db, { workspaceId, secretBox }: { workspaceId: string; secretBox: SecretBox }): Promise<TelephonyConfig | undefined> => {
  const { rows } = await sql<SettingsRow>`select * from rapport.telephony_settings where workspace_id = ${workspaceId}`.execute(db);
  return rows[0] && toConfig(rows[0], secretBox);
};

/** The workspace whose webhook URL carries this token; undefined for an unknown one. */
export const findTelephonyConfigByToken = async (db: Db, { token, secretBox }: { token: string; secretBox: SecretBox }): Promise<TelephonyConfig | undefined> => {
  const { rows } = await sql<SettingsRow>`select * from rapport.telephony_settings where webhook_token = ${token}`.execute(db);
  return rows[0] && toConfig(rows[0], secretBox);
};

const checkInput = async (db: Db, workspaceId: string, input: TelephonySettingsInput, hasSecret: boolean): Promise<Record<string, string>> => {
  const errors: FieldError[] = [];
  if (!TELEPHONY_PROVIDERS.includes(input.provider)) errors.push({ field: 'provider', code: 'invalidChoice', message: `One of ${TELEPHONY_PROVIDERS.join(', ')}.` });
  if (input.secret !== undefined && input.secret.length < MIN_SECRET_LENGTH) errors.push({ field: 'secret', code: 'tooShort', message: `At least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32; Twilio: the account's auth token).` });
  if (input.secret === undefined && !hasSecret) errors.push({ field: 'secret', code: 'required', message: 'The secret that signs the provider\'s requests.' });
  const lines: Record<string, string> = {};
  const userIds = Object.values(input.lines ?? {});
  const members = await findMemberIds(db, workspaceId, userIds.filter(isUuid));
  for (const [line, userId] of Object.entries(input.lines ?? {})) {
    if (!members.has(userId.toLowerCase())) errors.push({ field: `lines.${line}`, code: 'relationNotFound', message: `No member ${userId} in this workspace.` });
    else lines[toLineKey(line, input.defaultCountry ?? null)] = userId.toLowerCase();
  }
  if (errors.length > 0) throw validationFailed(errors);
  return lines;
};

/** Creates or replaces the workspace's settings; the secret is sealed, and kept when not given. */
export const saveTelephonySettings = async (db: Db, { workspaceId, input, secretBox }: { workspaceId: string; input: TelephonySettingsInput; secretBox: SecretBox }): Promise<TelephonyConfig> => {
  const current = await findTelephonyConfig(db, { workspaceId, secretBox });
  const lines = await checkInput(db, workspaceId, input, current?.hasSecret ?? false);
  const sealed = input.secret !== undefined ? secretBox.seal(input.secret) : undefined;
  const token = !current || input.rotateWebhookToken ? randomBytes(24).toString('base64url') : current.webhookToken;
  const { rows } = await sql<SettingsRow>`
    insert into rapport.telephony_settings (workspace_id, provider, secret, webhook_token, lines, default_country)
    values (${workspaceId}, ${input.provider}, ${sealed ?? null}, ${token}, ${JSON.stringify(lines)}::jsonb, ${input.defaultCountry ?? null})
    on conflict (workspace_id) do update set
      provider = excluded.provider,
      secret = coalesce(${sealed ?? null}, rapport.telephony_settings.secret),
      webhook_token = excluded.webhook_token,
      lines = ${input.lines === undefined ? sql`rapport.telephony_settings.lines` : sql`excluded.lines`},
      default_country = ${input.defaultCountry === undefined ? sql`rapport.telephony_settings.default_country` : sql`excluded.default_country`},
      updated_at = now()
    returning *`.execute(db);
  return toConfig(rows[0]!, secretBox);
};
