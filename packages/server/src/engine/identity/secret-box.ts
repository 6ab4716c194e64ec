import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encrypts small secrets at rest (TOTP secrets, OIDC client secrets) with AES-256-GCM. */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws when the value was sealed with another key or was changed. */
  open(sealed: string): string;
}

const VERSION = 'v1';

/** A key for one purpose derived from the master key, so one secret never serves two uses. */
export const deriveKey = (masterKey: Buffer, purpose: string): Buffer => createHmac('sha256', masterKey).update(`rapport:${purpose}`).digest();

export const createSecretBox = (masterKey: Buffer): SecretBox => {
  const key = deriveKey(masterKey, 'secret-box');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, data, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [version, iv, data, tag] = sealed.split('.');
      if (version !== VERSION || !iv || data === undefined || !tag) throw new Error('Not a sealed secret.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('A stored secret cannot be decrypted: RAPPORT_SECRET (or data/secret.key) is not the one it was encrypted with.');
      }
    },
  };
};

export const MIN_SECRET_LENGTH = 32;
export const SECRET_KEY_FILE = 'secret.key';

export interface MasterKey {
  key: Buffer;
  /** Where it came from: the RAPPORT_SECRET variable, or a key file generated in the data folder. */
  source: 'env' | 'file';
}

/** The master key from RAPPORT_SECRET: every server of a deployment must share it. */
export const masterKeyFromSecret = (secret: string): Buffer => {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`RAPPORT_SECRET must have at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32).`);
  return createHash('sha256').update(secret).digest();
};

/** The master key from the text of a key file such as `data/secret.key`: 32 bytes in base64. */
export const masterKeyFromKeyFile = (text: string, file: string): Buffer => {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key (e.g. openssl rand -base64 32).`);
  return key;
};

/**
 * The master key: RAPPORT_SECRET when set (every server of a deployment must share it), else a random
 * key generated once in `<data dir>/secret.key`, readable by its owner only.
 */
export const loadMasterKey = ({ secret, dataDir }: { secret: string | undefined; dataDir: string }): MasterKey => {
  if (secret) return { key: masterKeyFromSecret(secret), source: 'env' };
  const file = join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readMasterKey({ secret, dataDir })!;
};

/** The master key as loadMasterKey finds it, without making one: undefined when there is none (CLI commands). */
export const readMasterKey = ({ secret, dataDir }: { secret: string | undefined; dataDir: string }): MasterKey | undefined => {
  if (secret) return { key: masterKeyFromSecret(secret), source: 'env' };
  const file = join(dataDir, SECRET_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { key: masterKeyFromKeyFile(text, file), source: 'file' };
  } catch (error) {
    throw new Error(`${(error as Error).message} Delete it only if no secret was stored with it.`);
  }
};
