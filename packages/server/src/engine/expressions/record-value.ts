import { toCelValue, type CelType } from './cel-types.ts';

/**
 * A record as cel-js sees it: a registered message type whose fields are read (and converted)
 * only when the expression touches them, so a rule on one field of a 60-field record costs one
 * conversion. Empty fields read as absent: `has(record.x)` is false and `record.x` fails with
 * missingValue. An absent record (`previous` on create) equals null and has no fields.
 */
export abstract class RecordValue extends Map<string, unknown> {
  abstract readonly isAbsent: boolean;
  abstract toObject(): Record<string, unknown>;
}

export const isRecordValue = (value: unknown): value is RecordValue => value instanceof RecordValue;

export type RecordValueClass = new (values: Readonly<Record<string, unknown>> | null) => RecordValue;

/** A class per record shape: cel-js finds a value's type by its constructor. */
export const createRecordValueClass = (fields: Readonly<Record<string, CelType>>): RecordValueClass =>
  class extends RecordValue {
    readonly #values: Readonly<Record<string, unknown>> | null;

    constructor(values: Readonly<Record<string, unknown>> | null) {
      super();
      this.#values = values;
    }

    get isAbsent(): boolean {
      return this.#values === null;
    }

    override get(field: string): unknown {
      const type = fields[field];
      if (type === undefined || this.#values === null || !Object.hasOwn(this.#values, field)) return undefined;
      return toCelValue(type, this.#values[field], field);
    }

    toObject(): Record<string, unknown> {
      const entries = Object.keys(fields).map((field) => [field, this.get(field)] as const);
      return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
    }
  };
