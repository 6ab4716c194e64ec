import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** The interface languages of the web app: a workspace's default locale is one of them. */
export const WORKSPACE_LOCALES = ['en', 'fr', 'de', 'ru', 'zh'] as const;
/** A logo is sent as a data URL; 200 KB of text keeps every page load light. */
export const MAX_LOGO_LENGTH = 200_000;
export const LOGO_PATTERN = '^data:image/(png|jpeg|gif|webp|svg\\+xml);base64,[A-Za-z0-9+/]+={0,2}$';
export const COLOR_PATTERN = '^#[0-9a-fA-F]{6}$';

export interface WorkspaceSettings {
  id: string;
  name: string;
  logo: string | null;
  primaryColor: string | null;
  defaultCurrency: string;
  locale: string;
  timezone: string;
  updatedAt: string;
}

export type WorkspaceSettingsPatch = Partial<Omit<WorkspaceSettings, 'id' | 'updatedAt'>>;

interface Row {
  id: string;
  name: string;
  logo: string | null;
  primary_color: string | null;
  default_currency: string;
  locale: string;
  timezone: string;
  updated_at: Date | string;
}

const toSettings = (row: Row): WorkspaceSettings => ({
  id: row.id,
  name: row.name,
  logo: row.logo,
  primaryColor: row.primary_color,
  defaultCurrency: row.default_currency.trim(),
  locale: row.locale,
  timezone: row.timezone,
  updatedAt: new Date(row.updated_at).toISOString(),
});

export const readWorkspaceSettings = async (db: Db, workspaceId: string): Promise<WorkspaceSettings> => {
  const { rows } = await sql<Row>`
    select id, name, logo, primary_color, default_currency, locale, timezone, updated_at from rapport.workspace where id = ${workspaceId}`.execute(db);
  if (!rows[0]) throw new AppError('WORKSPACE_NOT_FOUND', `No workspace with id ${workspaceId}.`);
  return toSettings(rows[0]);
};

const supported = (kind: 'currency' | 'timeZone'): Set<string> => {
  const values = new Set(Intl.supportedValuesOf(kind));
  if (kind === 'timeZone') values.add('UTC');
  return values;
};

/** Checks what JSON Schema cannot: a real currency and time zone, a non-blank name. */
export const checkWorkspacePatch = (patch: WorkspaceSettingsPatch): FieldError[] => {
  const errors: FieldError[] = [];
  if (patch.name !== undefined && patch.name.trim() === '') errors.push({ field: 'name', code: 'required', message: 'The workspace needs a name.' });
  if (patch.defaultCurrency !== undefined && !supported('currency').has(patch.defaultCurrency)) {
    errors.push({ field: 'defaultCurrency', code: 'invalidCurrency', message: `"${patch.defaultCurrency}" is not an ISO 4217 currency code.` });
  }
  if (patch.timezone !== undefined && !supported('timeZone').has(patch.timezone)) {
    errors.push({ field: 'timezone', code: 'invalidChoice', message: `"${patch.timezone}" is not an IANA time zone (e.g. Europe/Paris).` });
  }
  return errors;
};

export const updateWorkspaceSettings = async (db: Db, workspaceId: string, patch: WorkspaceSettingsPatch): Promise<WorkspaceSettings> => {
  const errors = checkWorkspacePatch(patch);
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some settings are invalid; nothing was saved.', { errors });
  const current = await readWorkspaceSettings(db, workspaceId);
  const next = { ...current, ...patch, ...(patch.name !== undefined ? { name: patch.name.trim() } : {}) };
  if (next.name !== current.name) {
    const { rows } = await sql`select 1 from rapport.workspace where lower(name) = lower(${next.name}) and id <> ${workspaceId}`.execute(db);
    if (rows.length > 0) {
      throw new AppError('ALREADY_EXISTS', `A workspace "${next.name}" already exists.`, {
        errors: [{ field: 'name', code: 'unique', message: 'Another workspace has this name.' }],
      });
    }
  }
  await sql`
    update rapport.workspace set name = ${next.name}, logo = ${next.logo}, primary_color = ${next.primaryColor}, default_currency = ${next.defaultCurrency},
      locale = ${next.locale}, timezone = ${next.timezone}, updated_at = now()
    where id = ${workspaceId}`.execute(db);
  return readWorkspaceSettings(db, workspaceId);
};
