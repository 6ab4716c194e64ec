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
}

/** The box data keys are sealed in (master-key-rotation.ts re-seals them). */
export const createDataKeyBox = (masterKey: Buffer): SecretBox => createSecretBox(deriveKey(masterKey, 'workspace-data-keys'));
const sealKey = (box: SecretBox, workspaceId: string, key: Buffer) => box.seal(`${workspaceId}:${key.toString('base64')}`);

interface KeyRow {
  version: number;
  sealed_key: string;
}

/**
 * Envelope encryption: each workspace has random 256-bit data keys (`rapport.workspace_key`), stored
 * sealed under a key derived from the master key (RAPPORT_SECRET or data/secret.key). A database dump
 * holds only sealed keys and ciphertext. Rotating the master key re-seals these rows (master-key-rotation.ts);
 * rotating a data key adds a version (new values use it, old ones still open; reencrypt-values.ts moves them).
 */
export const createFieldKeyring = (masterKey: Buffer): FieldKeyring => {
  const box = createDataKeyBox(masterKey);
  const unseal = (workspaceId: string, row: KeyRow): Buffer => {
    const [owner, key] = box.open(row.sealed_key).split(':');
    // A sealed key copied from another workspace's row does not open here.
    if (owner !== workspaceId || !key) throw new Error(`The data key ${row.version} of workspace ${workspaceId} belongs to another workspace.`);
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
    const first = byVersion.get(rows[0]!.version)!;
    return { current: { version: last.version, key: byVersion.get(last.version)! }, byVersion, blindKey: createHmac('sha256', first).update('rapport:blind-index').digest() };
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
  };
};
