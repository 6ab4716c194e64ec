import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { createSecretBox, type SecretBox } from '../identity/secret-box.ts';
import { createDataKeyBox } from './field-keys.ts';

/**
 * Every value at rest sealed under the master key, by table and column, with the box that sealed it.
 * A new secret stored with the secret box must be listed here, or a master-key rotation leaves it
 * unreadable (tests/api/key-rotation.int.test.ts looks for sealed values in columns not listed).
 * Not listed, as they are hashed, not sealed: passwords, recovery codes, API keys, sessions, links.
 */
export const SEALED_COLUMNS = [
  { what: 'workspace data keys', table: 'workspace_key', keys: ['workspace_id', 'version'], column: 'sealed_key', box: createDataKeyBox },
  { what: 'workspace blind-index keys', table: 'workspace_blind_key', keys: ['workspace_id'], column: 'sealed_key', box: createDataKeyBox },
  { what: 'TOTP secrets', table: 'user', keys: ['id'], column: 'totp_secret', box: createSecretBox },
  { what: 'pending TOTP enrolments', table: 'user', keys: ['id'], column: 'totp_pending_secret', box: createSecretBox },
  { what: 'SSO client secrets', table: 'oidc_provider', keys: ['id'], column: 'client_secret', box: createSecretBox },
  { what: 'telephony secrets', table: 'telephony_settings', keys: ['workspace_id'], column: 'secret', box: createSecretBox },
] as const satisfies readonly SealedColumn[];

interface SealedColumn {
  what: string;
  table: string;
  keys: readonly string[];
  column: string;
  box: (masterKey: Buffer) => SecretBox;
}

export interface MasterKeyRotationResult {
  /** Values re-sealed under the new key, per SEALED_COLUMNS entry (`what`). */
  resealed: Record<string, number>;
  /** Values already sealed under the new key (a rotation run again after it committed). */
  alreadyRotated: number;
}

/**
 * Re-seals every value of SEALED_COLUMNS from the current master key to the next, in one transaction:
 * all or nothing. A value that opens with neither key stops it before anything changes. Values that
 * already open with the next key are left alone, so running it again is harmless. Servers must then
 * restart with the new key (their CSRF tokens change too: browser sessions sign in again).
 */
export const rotateMasterKey = async (db: Db, { currentKey, nextKey }: { currentKey: Buffer; nextKey: Buffer }): Promise<MasterKeyRotationResult> => {
  if (currentKey.equals(nextKey)) throw new AppError('INVALID_REQUEST', 'The new master key is the current one.');
  return db.transaction().execute(async (trx) => {
    const resealed: Record<string, number> = {};
    let alreadyRotated = 0;
    for (const sealed of SEALED_COLUMNS) {
      const current = sealed.box(currentKey);
      const next = sealed.box(nextKey);
      const keyList = sql.join(sealed.keys.map((key) => sql.id(key)));
      const { rows } = await sql<Record<string, unknown>>`
        select ${keyList}, ${sql.id(sealed.column)} as sealed from ${sql.id('rapport', sealed.table)}
        where ${sql.id(sealed.column)} is not null for update`.execute(trx);
      let count = 0;
      for (const row of rows) {
        const value = row.sealed as string;
        const plain = tryOpen(current, value);
        if (plain === undefined) {
          if (tryOpen(next, value) !== undefined) {
            alreadyRotated++;
            continue;
          }
          const where = sealed.keys.map((key) => `${key} ${String(row[key])}`).join(', ');
          throw new AppError('CONFLICT', `One of the ${sealed.what} (${where}) opens with neither the current nor the new master key: nothing was changed. Is the current key (RAPPORT_SECRET or data/secret.key) the one the servers use?`);
        }
        const match = sql.join(sealed.keys.map((key) => sql`${sql.id(key)} = ${row[key]}`), sql` and `);
        await sql`update ${sql.id('rapport', sealed.table)} set ${sql.id(sealed.column)} = ${next.seal(plain)} where ${match}`.execute(trx);
        count++;
      }
      resealed[sealed.what] = (resealed[sealed.what] ?? 0) + count;
    }
    return { resealed, alreadyRotated };
  });
};

const tryOpen = (box: SecretBox, value: string): string | undefined => {
  try {
    return box.open(value);
  } catch {
    return undefined;
  }
};
