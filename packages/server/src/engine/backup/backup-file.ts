import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import type { Engine } from '../db/database.ts';
import type { TableChecksum } from './checksums.ts';

/**
 * A backup file: one line `RAPPORT-BACKUP 1`, one line of JSON (the manifest), then the engine's own
 * snapshot (PGlite: the data folder as a gzip tarball; PostgreSQL: pg_dump's custom format).
 * The manifest is readable with `head -2 FILE`.
 */
const BACKUP_MAGIC = 'RAPPORT-BACKUP';
const BACKUP_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: 'rapport-backup';
  version: number;
  engine: Engine;
  /** The Rapport version that wrote it. */
  rapportVersion: string;
  /** The system migrations applied in the snapshot, in order; the last one is its level. */
  migrations: string[];
  migrationLevel: string | null;
  createdAt: string;
  /** Rows and checksum of every table, read in the same snapshot as the payload. */
  tables: TableChecksum[];
  payload: { bytes: number; sha256: string; format: 'pglite-tar-gz' | 'pg-dump-custom' };
}

export interface OpenedBackup {
  manifest: BackupManifest;
  /** Where the payload starts in the file. */
  payloadOffset: number;
  fileBytes: number;
}

const MAX_HEADER_BYTES = 64 * 1024 * 1024;

const corrupted = (file: string, why: string) => new AppError('BACKUP_INVALID', `${file} is not a usable Rapport backup: ${why}`);

/** Reads and checks the manifest (not the payload: see checkPayload). */
export const readBackupHeader = async (file: string): Promise<OpenedBackup> => {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new AppError('BACKUP_INVALID', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let read = 0;
    let newlines: number[] = [];
    while (read < Math.min(size, MAX_HEADER_BYTES) && newlines.length < 2) {
      const buffer = Buffer.alloc(Math.min(1024 * 1024, size - read));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead && newlines.length < 2; i++) if (buffer[i] === 0x0a) newlines.push(read + i);
      chunks.push(buffer.subarray(0, bytesRead));
      read += bytesRead;
    }
    const head = Buffer.concat(chunks);
    if (newlines.length < 2) throw corrupted(file, 'no manifest at its start.');
    const magic = head.subarray(0, newlines[0]).toString('utf8');
    if (magic !== `${BACKUP_MAGIC} ${BACKUP_FORMAT_VERSION}`) {
      throw corrupted(file, magic.startsWith(BACKUP_MAGIC) ? `format "${magic}" is newer than this Rapport reads (${BACKUP_FORMAT_VERSION}).` : 'it does not start with RAPPORT-BACKUP.');
    }
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(head.subarray(newlines[0]! + 1, newlines[1]).toString('utf8')) as BackupManifest;
    } catch {
      throw corrupted(file, 'its manifest is not valid JSON.');
    }
    if (manifest.format !== 'rapport-backup' || !manifest.payload || !Array.isArray(manifest.tables) || !Array.isArray(manifest.migrations)) throw corrupted(file, 'its manifest misses fields.');
    const payloadOffset = newlines[1]! + 1;
    if (size - payloadOffset !== manifest.payload.bytes) {
      throw corrupted(file, `it is ${size - payloadOffset < manifest.payload.bytes ? 'truncated' : 'longer than written'} (${size - payloadOffset} bytes of data, the manifest says ${manifest.payload.bytes}).`);
    }
    return { manifest, payloadOffset, fileBytes: size };
  } finally {
    await handle.close();
  }
};

export const payloadStream = (file: string, opened: OpenedBackup): ReadStream => createReadStream(file, { start: opened.payloadOffset });

/** Reads the whole payload and compares its SHA-256 with the manifest: a damaged file is refused before anything is changed. */
export const checkPayload = async (file: string, opened: OpenedBackup): Promise<void> => {
  const hash = createHash('sha256');
  for await (const chunk of payloadStream(file, opened)) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== opened.manifest.payload.sha256) throw corrupted(file, 'its data does not match the checksum in its manifest (the file is damaged).');
};

export const headerOf = (manifest: BackupManifest): Buffer => Buffer.from(`${BACKUP_MAGIC} ${BACKUP_FORMAT_VERSION}\n${JSON.stringify(manifest)}\n`, 'utf8');
