import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { createSecretBox, deriveKey, type SecretBox } from '../identity/secret-box.ts';
import type { FieldMeta, WorkspaceMeta } from '../metadata/types.ts';
import { createFieldCipher, type FieldCipher, type WorkspaceDataKeys } from './field-cipher.ts';

// Ciphers live beside the metadata objects, never on them: nothing serialises a key by accident,
// and a copy of a FieldMeta (which would lose its cipher) fails loudly instead of writing plain text.
const ciphers = new WeakMap<FieldMeta, FieldCipher>();

export const isEncryptedField = (field: Pick<FieldMeta, 'options'>): boolean => field.options?.encrypted === true;

/** The cipher of an encrypted field of metadata loaded through the keyring; throws when there is none. */
export const getFieldCipher = (field: FieldMeta): FieldCipher => {
  const cipher = ciphers.get(field);
  if (!cipher) throw new Error(`${field.objectName}.${field.name} is encrypted, but its metadata was loaded without the field keyring (MetadataCache with the master key).`);
  return cipher;
};

/** Gives the encrypted fields of freshly loaded metadata their ciphers. */
export interface FieldKeyring {
  attach(db: Db, workspace: WorkspaceMeta): Promise<WorkspaceMeta>;
  /** One field about to become encrypted (engine/records/encrypt-field.job.ts). */
  attachField(db: Db, options: { workspaceId: string; field: FieldMeta }): Promise<void>;
  /**
   * Adds a data key version to a workspace and returns it. Values written once the metadata is reloaded
   * (`onMetadataChanged`) are sealed with it; older values keep opening with theirs; blind indexes keep their key.
   */
  rotateDataKey(db: Db, workspaceId: string): Promise<number>;
  /** Ciphers by field id, for fields in any state: trashed fields and fields of trashed objects too (reencrypt-values.ts). */
  createCiphers(db: Db, options: { workspaceId: string; fieldIds: readonly string[] }): Promise<Map<string, FieldCipher>>;
  /**
   * Deletes older data key versions (never the current one). Callers make sure nothing stored still
   * references them (retire-data-keys.ts). The blind-index key, derived from the first version, is kept
   * apart first (`rapport.workspace_blind_key`), so indexes stay valid once that version is gone.
   */
  deleteDataKeys(db: Db, options: { workspaceId: string; versions: readonly number[] }): Promise<void>;
}

/** The box data keys are sealed in (master-key-rotation.ts re-seals them). */
export const createDataKeyBox = (masterKey: Buffer): SecretBox => createSecretBox(deriveKey(masterKey, 'workspace-data-keys'));
const sealKey = (box: SecretBox, workspaceId: string, key: Buffer) => box.seal(`${workspaceId}:${key.toString('base64')}`);
// The blind-index key says what it is: it never opens as a data key, nor a data key as it.
const BLIND = 'blind-index';
const sealBlindKey = (box: SecretBox, workspaceId: string, key: Buffer) => box.seal(`${workspaceId}:${BLIND}:${key.toString('base64')}`);
const deriveBlindKey = (firstDataKey: Buffer) => createHmac('sha256', firstDataKey).update('rapport:blind-index').digest();

interface KeyRow {
  version: number;
  sealed_key: string;
}

/**
 * Envelope encryption: each workspace has random 256-bit data keys (`rapport.workspace_key`), stored
 * sealed under a key derived from the master key (RAPPORT_SECRET or data/secret.key). A database dump
 * holds only sealed keys and ciphertext. Rotating the master key re-seals these rows (master-key-rotation.ts);
 * rotating a data key adds a version (new values use it, old ones still open; reencrypt-values.ts moves them),
 * and a version nothing references any more is deleted (retire-data-keys.ts).
 */
export const createFieldKeyring = (masterKey: Buffer): FieldKeyring => {
  const box = createDataKeyBox(masterKey);
  const unseal = (workspaceId: string, row: KeyRow): Buffer => {
    const [owner, key, extra] = box.open(row.sealed_key).split(':');
    // A sealed key copied from another workspace's row does not open here.
    if (owner !== workspaceId || !key || extra !== undefined) throw new Error(`The data key ${row.version} of workspace ${workspaceId} belongs to another workspace.`);
    return Buffer.from(key, 'base64');
  };
  const findBlindKey = async (db: Db, workspaceId: string): Promise<Buffer | undefined> => {
    const { rows } = await sql<{ sealed_key: string }>`select sealed_key from rapport.workspace_blind_key where workspace_id = ${workspaceId}`.execute(db);
    if (!rows[0]) return undefined;
    const [owner, kind, key] = box.open(rows[0].sealed_key).split(':');
    if (owner !== workspaceId || kind !== BLIND || !key) throw new Error(`The blind-index key of workspace ${workspaceId} belongs to another workspace.`);
    return Buffer.from(key, 'base64');
  };
  const loadKeys = async (db: Db, workspaceId: string): Promise<WorkspaceDataKeys> => {
    const read = () => sql<KeyRow>`select version, sealed_key from rapport.workspace_key where workspace_id = ${workspaceId} order by version`.execute(db);
    let { rows } = await read();
    if (rows.length === 0) {
      const sealed = sealKey(box, workspaceId, randomBytes(32));
      // Two servers may both create the first key: one insert wins, both read it.
      await sql`insert into rapport.workspace_key (workspace_id, version, sealed_key) values (${workspaceId}, 1, ${sealed}) on conflict do nothing`.execute(db);
      ({ rows } = await read());
    }
    const byVersion = new Map(rows.map((row) => [row.version, unseal(workspaceId, row)]));
    const last = rows.at(-1)!;
    // Kept apart once the first version was deleted; until then, derived from it.
    const blindKey = (await findBlindKey(db, workspaceId)) ?? deriveBlindKey(byVersion.get(rows[0]!.version)!);
    return { current: { version: last.version, key: byVersion.get(last.version)! }, byVersion, blindKey };
  };
  return {
    async attach(db, workspace) {
      const encrypted = [...workspace.objects.values()].flatMap((object) => object.fields.filter(isEncryptedField));
      if (encrypted.length === 0) return workspace;
      const keys = await loadKeys(db, workspace.id);
      for (const field of encrypted) ciphers.set(field, createFieldCipher({ keys, fieldId: field.id }));
      return workspace;
    },
    async attachField(db, { workspaceId, field }) {
      ciphers.set(field, createFieldCipher({ keys: await loadKeys(db, workspaceId), fieldId: field.id }));
    },
    async rotateDataKey(db, workspaceId) {
      // The first key must exist first: blind indexes are keyed from it.
      await loadKeys(db, workspaceId);
      const sealed = sealKey(box, workspaceId, randomBytes(32));
      const { rows } = await sql<{ version: number }>`
        insert into rapport.workspace_key (workspace_id, version, sealed_key)
        select ${workspaceId}, max(version) + 1, ${sealed} from rapport.workspace_key where workspace_id = ${workspaceId}
        returning version`.execute(db);
      return rows[0]!.version;
    },
    async createCiphers(db, { workspaceId, fieldIds }) {
      if (fieldIds.length === 0) return new Map();
      const keys = await loadKeys(db, workspaceId);
      return new Map(fieldIds.map((fieldId) => [fieldId, createFieldCipher({ keys, fieldId })]));
    },
    async deleteDataKeys(db, { workspaceId, versions }) {
      if (versions.length === 0) return;
      const keys = await loadKeys(db, workspaceId);
      if (versions.includes(keys.current.version)) throw new Error(`The data key ${keys.current.version} of workspace ${workspaceId} is the current one: it cannot be deleted.`);
      await sql`insert into rapport.workspace_blind_key (workspace_id, sealed_key) values (${workspaceId}, ${sealBlindKey(box, workspaceId, keys.blindKey)}) on conflict do nothing`.execute(db);
      await sql`delete from rapport.workspace_key where workspace_id = ${workspaceId} and version = any(${[...versions]}::int[])`.execute(db);
    },
  };
};
