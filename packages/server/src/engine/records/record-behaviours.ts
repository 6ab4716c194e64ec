import type { FieldError } from '@rapport/common';
import type { Db } from '../db/database.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';

/** One record of a write as a behaviour sees it: its values before and after, and a way to change what is written. */
export interface RecordInWrite {
  /** Prefix of error paths (`records[3].` in a batch, empty for a single record). */
  path: string;
  isCreate: boolean;
  /** The record as stored before the write (API shape); absent on create. */
  before?: Readonly<Record<string, unknown>>;
  /** The record as it will be written (API shape, defaults applied): read it, change it through `set`. */
  after: Readonly<Record<string, unknown>>;
  /** Whether the caller gave this field in the write (as opposed to a default or the stored value). */
  isGiven(field: string): boolean;
  /** Writes a value (API shape) to a stored field, as if the caller had given it; rules and formulas then see it. */
  set(field: string, value: unknown): void;
}

export interface BehaviourContext {
  /** The write's transaction: reads here see the rows it locked. */
  trx: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  actorId: string | null;
  /** The writer's permissions: a behaviour that changes other records (a line item's deal) checks the writer may. */
  access: Access;
}

/**
 * What a module adds to the write path of one of its objects (a deal's stage rules, a line item's roll-up).
 * Behaviours run inside the write's transaction, after defaults and before formulas, required fields and
 * validation rules, for every writer alike (API, imports, merges, workflows); errors they return refuse the
 * whole write like any validation error.
 */
export interface RecordBehaviour {
  object: string;
  beforeWrite?(context: BehaviourContext, records: RecordInWrite[]): Promise<FieldError[]> | FieldError[];
  /**
   * After the rows of the write are stored, in its transaction: work on other records that follows from them (a
   * line item's total rolled up into its deal, through `saveRecords` with `context.trx`, which joins the
   * transaction). Throwing refuses the whole write.
   */
  afterWrite?(context: BehaviourContext, records: WrittenRecord[]): Promise<void>;
  /**
   * After a record went to the trash (`afterDelete`) or came back from it (`afterRestore`), in the same transaction
   * (delete-records.ts): `before` is the record as it was, `after` as it is now. Throwing refuses the move.
   */
  afterDelete?(context: BehaviourContext, record: WrittenRecord): Promise<void>;
  afterRestore?(context: BehaviourContext, record: WrittenRecord): Promise<void>;
  /**
   * After a record's personal data was erased (engine/privacy/erase-record.ts), in the same transaction: copies a
   * module keeps outside the record (a booking's visitor name and email) go too. `before` is the record as it was.
   */
  afterErase?(context: { trx: Db; workspace: WorkspaceMeta; object: ObjectMeta }, before: Readonly<Record<string, unknown>>): Promise<void>;
}

/** A record as a write stored it (API shape). */
export interface WrittenRecord {
  id: string;
  isCreate: boolean;
  before?: Readonly<Record<string, unknown>>;
  after: Readonly<Record<string, unknown>>;
}

const byObject = new Map<string, RecordBehaviour[]>();
const installed = new Set<RecordBehaviour>();

/**
 * Modules' behaviours, installed by whatever composes the modules (the app, the background process, admin
 * commands). Installing the same behaviour twice does nothing.
 */
export const installRecordBehaviours = (behaviours: readonly RecordBehaviour[]) => {
  for (const behaviour of behaviours) {
    if (installed.has(behaviour)) continue;
    installed.add(behaviour);
    byObject.set(behaviour.object, [...(byObject.get(behaviour.object) ?? []), behaviour]);
  }
};

export const behavioursOf = (objectName: string): readonly RecordBehaviour[] => byObject.get(objectName) ?? [];
