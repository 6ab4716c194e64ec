/** Component names must match this (OpenAPI 3.1, `components` keys). */
export const COMPONENT_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

/** `Opportunités à venir` → `OpportunitesAVenir`; undefined when nothing usable is left (or it starts with a digit). */
export const toPascalIdentifier = (text: string): string | undefined => {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const identifier = words.map((word) => `${word[0]!.toUpperCase()}${word.slice(1)}`).join('');
  return /^[A-Z][A-Za-z0-9]*$/.test(identifier) ? identifier : undefined;
};

/** An API name (`projectTask`) as a type name (`ProjectTask`); anything outside the pattern becomes `_`. */
export const toTypeName = (name: string): string => {
  const safe = name.replace(/[^a-zA-Z0-9._-]/g, '_') || 'Object';
  return `${safe[0]!.toUpperCase()}${safe.slice(1)}`;
};

/**
 * Hands out names that are unique within one document (component names, operationIds, tags).
 * A caller offers candidate groups in order of preference and gets the first group whose names are all free,
 * so the names of one object stay consistent (`Person`, `PersonInput`, `PersonPage`).
 */
export interface NameRegistry {
  /** Reserves fixed names; throws if one is taken (a bug in the generator, not in the metadata). */
  reserve(names: readonly string[]): void;
  /** The first candidate whose every name is free, reserved; falls back to numbered variants of the last one. */
  claim<T extends Record<keyof T, string>>(candidates: readonly ((suffix: string) => T)[]): T;
}

export const createNameRegistry = (): NameRegistry => {
  const taken = new Set<string>();
  const valuesOf = (names: object) => Object.values(names) as string[];
  const isFree = (names: object) => valuesOf(names).every((name) => !taken.has(name));
  const take = <T extends object>(names: T): T => {
    valuesOf(names).forEach((name) => taken.add(name));
    return names;
  };
  return {
    reserve(names) {
      for (const name of names) {
        if (taken.has(name)) throw new Error(`OpenAPI name "${name}" is reserved twice.`);
        taken.add(name);
      }
    },
    claim(candidates) {
      for (const candidate of candidates) {
        const names = candidate('');
        if (isFree(names)) return take(names);
      }
      const last = candidates.at(-1);
      if (!last) throw new Error('No name candidates.');
      for (let n = 2; ; n++) {
        const names = last(String(n));
        if (isFree(names)) return take(names);
      }
    },
  };
};
