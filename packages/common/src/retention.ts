import type { Filter } from './filter.ts';

/** What a retention rule does with a record that is due: erase its personal data, or move it to the trash. */
export const RETENTION_ACTIONS = ['anonymise', 'delete'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/** Records of one object anonymised or deleted a number of days after one of their dates (T7). */
export interface RetentionRule {
  id: string;
  name: string;
  object: string;
  /** `createdAt`, `updatedAt` or a date or datetime field of the object. */
  basisField: string;
  afterDays: number;
  action: RetentionAction;
  filter: Filter | null;
  enabled: boolean;
  createdBy: string | null;
  lastRun: { at: string; count: number; error: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RetentionRuleInput {
  name?: string;
  object?: string;
  basisField?: string;
  afterDays?: number;
  action?: RetentionAction;
  filter?: Filter | null;
  enabled?: boolean;
}
