import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { canBeEncrypted } from './designer-model.ts';

/** Why an existing field cannot be encrypted (the server's own checks, so the option is disabled with the reason). */
export type EncryptionBlocker = 'encrypted' | 'type' | 'title' | 'defaultValue' | 'formula' | 'unique';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The formula fields whose expression reads `field` (`record.field`, or the whole `record` passed on). */
export const formulasReading = (object: ObjectDefinition, field: FieldDefinition): FieldDefinition[] => {
  const member = new RegExp(`\\brecord\\s*\\.\\??\\s*${escapeRegExp(field.name)}\\b`);
  // `record` not followed by a member access (e.g. `size(record)`) reads every field.
  const whole = /\brecord\b(?!\s*\.)/;
  return object.fields.filter((candidate) => {
    if (candidate.type !== 'formula') return false;
    const expression = String(candidate.options?.expression ?? '');
    return member.test(expression) || whole.test(expression);
  });
};

const keepsBlindIndex = (field: FieldDefinition) => (field.type === 'email' || field.type === 'phone') && field.options?.multiple !== true;

/** The first reason `field` cannot be encrypted, or null when `POST …/fields/{f}/encrypt` may be asked. */
export const encryptionBlockerOf = (object: ObjectDefinition, field: FieldDefinition): EncryptionBlocker | null => {
  if (field.options?.encrypted) return 'encrypted';
  if (!canBeEncrypted(field.type)) return 'type';
  if (object.labelField === field.name) return 'title';
  if (field.defaultValue !== undefined && field.defaultValue !== null) return 'defaultValue';
  if (formulasReading(object, field).length > 0) return 'formula';
  if (field.unique && !keepsBlindIndex(field)) return 'unique';
  return null;
};

/** What still works on an encrypted field: equality lookups only on single email and phone fields. */
export const hasEqualityLookups = (field: FieldDefinition) => keepsBlindIndex(field);

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export const isFinished = (status: JobStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';
