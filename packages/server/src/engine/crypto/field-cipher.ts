import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Seals and opens the values of one encrypted field; computes its blind index. */
export interface FieldCipher {
  /** A column value (string, number, list...) to `rf1:<key version>:<iv|ciphertext|tag>`. */
  seal(value: unknown): string;
  /** Throws when the value was sealed under another key, for another field, or was changed. */
  open(sealed: string): unknown;
  /** A deterministic keyed hash of a normalised value: equal values, equal hashes (equality filters, unique). */
  blindIndex(normalized: string): string;
  /** The data key version new values are sealed with. */
  readonly keyVersion: number;
}

/** The data keys of one workspace: every version (old values stay readable) and the one new values use. */
export interface WorkspaceDataKeys {
  current: { version: number; key: Buffer };
  byVersion: ReadonlyMap<number, Buffer>;
  /** HMAC key of blind indexes; derived from the first data key so a rotation keeps indexes valid. */
  blindKey: Buffer;
}

const PREFIX = 'rf1';

export const isSealedValue = (value: unknown): value is string => typeof value === 'string' && value.startsWith(`${PREFIX}:`);

/** The data key version a sealed value was sealed with (undefined: not a sealed value). */
export const sealedKeyVersion = (value: unknown): number | undefined => (isSealedValue(value) ? Number(value.split(':', 2)[1]) : undefined);

/**
 * AES-256-GCM with a random 96-bit IV; the field id is the associated data, so a value copied into
 * another field (say, one that more people may read) does not open.
 */
export const createFieldCipher = ({ keys, fieldId }: { keys: WorkspaceDataKeys; fieldId: string }): FieldCipher => {
  const aad = Buffer.from(`rapport-field:${fieldId}`, 'utf8');
  return {
    seal(value) {
      const { version, key } = keys.current;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${PREFIX}:${version}:${Buffer.concat([iv, data, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed) {
      const [prefix, version, body] = sealed.split(':');
      const key = keys.byVersion.get(Number(version));
      if (prefix !== PREFIX || !body || !key) throw new Error(`An encrypted value cannot be opened: unknown format or key version ${String(version)}.`);
      const bytes = Buffer.from(body, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(aad);
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8')) as unknown;
      } catch {
        throw new Error('An encrypted value cannot be opened: it was changed, belongs to another field, or RAPPORT_SECRET is not the one it was encrypted with.');
      }
    },
    blindIndex: (normalized) => createHmac('sha256', keys.blindKey).update(`${fieldId}\u0000${normalized}`).digest('base64url'),
    keyVersion: keys.current.version,
  };
};
