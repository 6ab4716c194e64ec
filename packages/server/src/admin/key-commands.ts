import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { recordAudit } from '../engine/audit/audit.ts';
import { createFieldKeyring, type FieldKeyring } from '../engine/crypto/field-keys.ts';
import { rotateMasterKey } from '../engine/crypto/master-key-rotation.ts';
import { reencryptValues, type ReencryptResult } from '../engine/crypto/reencrypt-values.ts';
import { describeDataKeys, retireDataKeys, type KeptDataKey } from '../engine/crypto/retire-data-keys.ts';
import type { Database } from '../engine/db/database.ts';
import { AppError } from '../engine/errors.ts';
import { announceMetadataChange } from '../engine/metadata/metadata-store.ts';
import { masterKeyFromKeyFile, masterKeyFromSecret, SECRET_KEY_FILE, type MasterKey } from '../engine/identity/secret-box.ts';
import { getWorkspace, listWorkspaces, type WorkspaceSummary } from '../engine/workspaces/workspace.service.ts';

/** What key commands need besides the database: given by the server that runs them, or made by the CLI. */
export interface KeyCommandContext {
  /** The server's own keyring (through the running server). */
  fieldKeys?: FieldKeyring;
  /** The master key as the CLI found it (RAPPORT_SECRET or data/secret.key); only when the CLI opened the database. */
  masterKey?: MasterKey;
  /** Where data/secret.key lives (a master-key rotation replaces it when the key came from there). */
  dataDir?: string;
  /** Tells servers to reload metadata (new data key); absent: a NOTIFY on PostgreSQL. */
  onMetadataChanged?: (workspaceId: string) => void;
  /** A line per re-encrypted batch, for people watching. */
  onProgress?: (message: string) => void;
}

export type KeyCommand =
  | { command: 'keys.rotateDataKey'; workspace?: string; all?: boolean; batchSize?: number }
  | { command: 'keys.reencrypt'; workspace?: string; all?: boolean; batchSize?: number }
  | { command: 'keys.status'; workspace?: string; all?: boolean }
  | { command: 'keys.rotateMasterKey'; newKeyFile: string };

const targetWorkspaces = async (database: Database, input: { workspace?: string; all?: boolean }): Promise<WorkspaceSummary[]> => {
  if (Boolean(input.workspace) === Boolean(input.all)) throw new AppError('INVALID_REQUEST', 'Name one workspace (--workspace NAME) or all of them (--all).');
  return input.all ? listWorkspaces(database.db) : [await getWorkspace(database.db, { name: input.workspace! })];
};

const keyringOf = (context: KeyCommandContext): FieldKeyring => {
  if (context.fieldKeys) return context.fieldKeys;
  if (context.masterKey) return createFieldKeyring(context.masterKey.key);
  throw new AppError('INVALID_REQUEST', `No master key: set RAPPORT_SECRET as the servers have it, or RAPPORT_DATA_DIR to the folder holding ${SECRET_KEY_FILE}.`);
};

/** Through the running server when the command runs in it (it drops its cache and tells the others), else straight to the others. */
export const notifyMetadataChanged = async (database: Database, context: KeyCommandContext, workspaceId: string) => {
  if (context.onMetadataChanged) context.onMetadataChanged(workspaceId);
  else await announceMetadataChange(database, workspaceId);
};

const isBatchSize = (value: number | undefined) => value === undefined || (Number.isInteger(value) && value >= 1 && value <= 100_000);

/** What a rotation or re-encryption did in one workspace. */
export interface WorkspaceReencryption extends Omit<ReencryptResult, 'keyVersion'> {
  workspace: string;
  keyVersion: number;
  /** Older data key versions deleted: no stored value referenced them any more. */
  retiredKeyVersions: number[];
  /** Older versions still kept, and why (too recent a rotation, or values still naming them). */
  keptKeyVersions: KeptDataKey[];
}

/**
 * `keys rotate-data-key`: a new data key per workspace (servers reload their metadata and seal new values
 * with it), then every value under an older key is re-encrypted. `keys reencrypt` is the second half
 * alone: it finishes a rotation that was interrupted. Both end by deleting the older versions nothing
 * references any more (engine/crypto/retire-data-keys.ts), once the rotation has settled.
 */
const reencryptWorkspaces = async (database: Database, input: Extract<KeyCommand, { command: 'keys.rotateDataKey' | 'keys.reencrypt' }>, context: KeyCommandContext) => {
  if (!isBatchSize(input.batchSize)) throw new AppError('INVALID_REQUEST', '--batch-size is a whole number between 1 and 100,000.');
  const fieldKeys = keyringOf(context);
  const workspaces = await targetWorkspaces(database, input);
  const results: WorkspaceReencryption[] = [];
  for (const workspace of workspaces) {
    if (input.command === 'keys.rotateDataKey') {
      const keyVersion = await fieldKeys.rotateDataKey(database.db, workspace.id);
      await recordAudit(database.db, { workspaceId: workspace.id, actorId: null, action: 'keys.data_key.rotated', details: { keyVersion, via: 'cli' } });
      await notifyMetadataChanged(database, context, workspace.id);
    }
    const result = await reencryptValues({
      db: database.db,
      fieldKeys,
      workspaceId: workspace.id,
      ...(input.batchSize ? { batchSize: input.batchSize } : {}),
      onBatch: ({ scope, count }) => context.onProgress?.(`${workspace.name}: ${count} values of ${scope} re-encrypted`),
    });
    const { rows } = await sql<{ version: number }>`select coalesce(max(version), 0)::int as version from rapport.workspace_key where workspace_id = ${workspace.id}`.execute(database.db);
    const { keyVersion: _moved, ...counts } = result;
    await recordAudit(database.db, {
      workspaceId: workspace.id,
      actorId: null,
      action: 'keys.values.reencrypted',
      details: { keyVersion: rows[0]!.version, ...counts, via: 'cli' },
    });
    const retirement = await retireDataKeys({ db: database.db, fieldKeys, workspaceId: workspace.id });
    if (retirement.retired.length > 0) {
      await recordAudit(database.db, { workspaceId: workspace.id, actorId: null, action: 'keys.data_key.retired', details: { keyVersions: retirement.retired, via: 'cli' } });
      // Servers drop the deleted keys from memory too.
      await notifyMetadataChanged(database, context, workspace.id);
    }
    results.push({ workspace: workspace.name, ...counts, keyVersion: rows[0]!.version, retiredKeyVersions: retirement.retired, keptKeyVersions: retirement.kept });
  }
  return { workspaces: results };
};

/** `keys status`: each workspace's data key versions and where each is still used; needs no master key. */
const describeWorkspaceKeys = async (database: Database, input: Extract<KeyCommand, { command: 'keys.status' }>) => {
  const workspaces = await targetWorkspaces(database, input);
  const results = [];
  for (const workspace of workspaces) results.push({ workspace: workspace.name, ...(await describeDataKeys(database.db, workspace.id)) });
  return { workspaces: results };
};

/** The new master key from a file, in the form of the current one: a RAPPORT_SECRET value, or a key file's base64. */
const readNextMasterKey = (file: string, current: MasterKey): { key: Buffer; text: string } => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new AppError('INVALID_REQUEST', `Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return { key: current.source === 'env' ? masterKeyFromSecret(text) : masterKeyFromKeyFile(text, file), text };
  } catch (error) {
    throw new AppError('INVALID_REQUEST', (error as Error).message);
  }
};

/**
 * `keys rotate-master-key`: re-seals every secret sealed with the master key (engine/crypto/master-key-rotation.ts),
 * then, when the key came from data/secret.key, replaces that file. Only with the database to itself:
 * servers hold the old key in memory and must restart with the new one.
 */
const rotateMasterKeyCommand = async (database: Database, input: Extract<KeyCommand, { command: 'keys.rotateMasterKey' }>, context: KeyCommandContext) => {
  const current = context.masterKey;
  if (!current) {
    throw new AppError('INVALID_REQUEST', `The master key is rotated by the rapport CLI with the database to itself, knowing the current key (RAPPORT_SECRET or ${SECRET_KEY_FILE}): stop the server first.`);
  }
  const next = readNextMasterKey(input.newKeyFile, current);
  const result = await rotateMasterKey(database.db, { currentKey: current.key, nextKey: next.key });
  // The instance's own scope (no workspace): the master key is the instance's.
  await recordAudit(database.db, { workspaceId: null, actorId: null, action: 'keys.master_key.rotated', details: { ...result, via: 'cli' } });
  let keyFile: string | null = null;
  if (current.source === 'file' && context.dataDir) {
    // Write beside, then rename: the key file is never half written.
    keyFile = join(context.dataDir, SECRET_KEY_FILE);
    writeFileSync(`${keyFile}.next`, `${next.key.toString('base64')}\n`, { mode: 0o600 });
    renameSync(`${keyFile}.next`, keyFile);
  }
  return { ...result, keySource: current.source, keyFile };
};

export const runKeyCommand = (database: Database, input: KeyCommand, context: KeyCommandContext): Promise<Record<string, unknown>> => {
  switch (input.command) {
    case 'keys.rotateDataKey':
    case 'keys.reencrypt':
      return reencryptWorkspaces(database, input, context);
    case 'keys.status':
      return describeWorkspaceKeys(database, input);
    case 'keys.rotateMasterKey':
      return rotateMasterKeyCommand(database, input, context);
    default: {
      const unknown: never = input;
      throw new AppError('INVALID_REQUEST', `Unknown command ${JSON.stringify(unknown)}.`);
    }
  }
};
