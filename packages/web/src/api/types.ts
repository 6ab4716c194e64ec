import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';

export type { FieldDefinition, Filter, ObjectDefinition };

/** A record as the API returns it: system fields plus field values by API name. */
export interface ApiRecord {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  deletedAt?: string | null;
  [field: string]: unknown;
}

export interface RecordPage {
  data: ApiRecord[];
  pageInfo: { nextCursor: string | null; hasNextPage: boolean };
  totalCount?: number;
  /** With `count: 'estimate'` on a large table: the total is the database's estimate. */
  totalCountIsEstimate?: true;
}

export interface HistoryEntry {
  id: number;
  changeType: 'created' | 'updated' | 'deleted' | 'restored' | 'merged' | 'unmerged';
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  occurredAt: string;
}

export interface HistoryPage {
  data: HistoryEntry[];
  pageInfo: { hasNextPage: boolean; nextBefore: number | string | null };
}

export interface SearchHit {
  object: string;
  id: string;
  label: string;
  score: number;
}

/** The signed-in user, as `GET /api/v1/users/me` and sign-in return it (only the members the app reads). */
export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
  /** The workspace this session is in. */
  workspace?: { id: string; name: string };
  [key: string]: unknown;
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem document with Rapport's stable `code`. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldError[];
}
