import fc from 'fast-check';

// The permission rules written down a second time, in plain TypeScript over the test's own data,
// to check the API against: which people a user sees and may change, and what a filter matches.

export type Level = 'hidden' | 'readOnly' | 'editable';
export type RecordAccess = 'own' | 'team' | 'teamAndSubordinates' | 'territory' | 'all';

/** Person fields the property test hides or protects at random (firstName stays editable: it is what the test writes). */
export const HIDEABLE = ['jobTitle', 'email', 'phone', 'address', 'owner'] as const;

export interface RefPerson {
  id: string;
  lastName: string;
  jobTitle: string;
  city: string;
  country: string;
  owner: string | null;
}

export type RefFilter =
  | { field: 'address.country'; op: 'eq' | 'neq'; value: string }
  | { field: 'address.city'; op: 'in'; value: string[] }
  | { field: 'lastName'; op: 'startsWith'; value: string }
  | { field: 'jobTitle'; op: 'eq'; value: string }
  | { field: 'owner'; op: 'eq' | 'isEmpty'; value?: string }
  | { not: RefFilter }
  | { or: RefFilter[] };

export interface RoleSpec {
  recordAccess: RecordAccess;
  /** Index of the parent role: always lower, so the hierarchy is a forest. */
  parent: number | null;
  canRead: boolean;
  fields: Partial<Record<(typeof HIDEABLE)[number], Level>>;
}

export interface RuleSpec {
  filter: RefFilter;
  target: { type: 'team' | 'role'; index: number };
  access: 'read' | 'write';
}

export interface World {
  /** One role per user: user i holds role i. */
  roles: RoleSpec[];
  /** Members (user indexes) of each team. */
  teams: number[][];
  rules: RuleSpec[];
  territory: { filter: RefFilter; members: number[] };
}

const simpleFilterArb = (options: { countries: string[]; cities: string[] }): fc.Arbitrary<RefFilter> =>
  fc.oneof(
    fc.record({ field: fc.constant('address.country' as const), op: fc.constantFrom('eq' as const, 'neq' as const), value: fc.constantFrom(...options.countries) }),
    fc.record({ field: fc.constant('address.city' as const), op: fc.constant('in' as const), value: fc.subarray(options.cities, { minLength: 1 }) }),
  );

export const worldArb = (options: { users: number; teams: number; countries: string[]; cities: string[] }): fc.Arbitrary<World> => {
  const members = fc.subarray([...Array(options.users).keys()]);
  const role = (index: number) =>
    fc.record({
      recordAccess: fc.constantFrom<RecordAccess>('own', 'team', 'teamAndSubordinates', 'territory', 'all'),
      parent: index === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: index - 1 }), { nil: null }),
      canRead: fc.integer({ min: 0, max: 6 }).map((n) => n > 0),
      fields: fc.record(Object.fromEntries(HIDEABLE.map((field) => [field, fc.constantFrom<Level>('hidden', 'readOnly', 'editable', 'editable')])) as Record<(typeof HIDEABLE)[number], fc.Arbitrary<Level>>),
    });
  return fc.record({
    roles: fc.tuple(...[...Array(options.users).keys()].map(role)),
    teams: fc.array(members, { minLength: options.teams, maxLength: options.teams }),
    rules: fc.array(
      fc.record({
        filter: simpleFilterArb(options),
        target: fc.oneof(
          fc.record({ type: fc.constant('team' as const), index: fc.integer({ min: 0, max: options.teams - 1 }) }),
          fc.record({ type: fc.constant('role' as const), index: fc.integer({ min: 0, max: options.users - 1 }) }),
        ),
        access: fc.constantFrom('read' as const, 'write' as const),
      }),
      { maxLength: 3 },
    ),
    territory: fc.record({ filter: simpleFilterArb(options), members }),
  });
};

/** A query filter; owner conditions name a user, picked once the users exist. */
export const filterArb = (options: { countries: string[]; cities: string[]; titles: string[]; userCount: number }): fc.Arbitrary<(userIds: string[]) => RefFilter> => {
  const leaf: fc.Arbitrary<(userIds: string[]) => RefFilter> = fc.oneof(
    simpleFilterArb(options).map((filter) => () => filter),
    fc.constantFrom('a', 'b', 'c', 'd').map((value) => () => ({ field: 'lastName' as const, op: 'startsWith' as const, value })),
    fc.constantFrom(...options.titles).map((value) => () => ({ field: 'jobTitle' as const, op: 'eq' as const, value })),
    fc.integer({ min: 0, max: options.userCount - 1 }).map((index) => (userIds: string[]) => ({ field: 'owner' as const, op: 'eq' as const, value: userIds[index]! })),
    fc.constant(() => ({ field: 'owner' as const, op: 'isEmpty' as const })),
  );
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: leaf.map((build) => (userIds: string[]) => ({ not: build(userIds) })) },
    { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((builds) => (userIds: string[]) => ({ or: builds.map((build) => build(userIds)) })) },
  );
};

export const sortFieldArb = fc.constantFrom('lastName', 'jobTitle', 'email', 'createdAt', 'owner');

/** The top-level fields a filter names (`address.city` → `address`). */
export const rootFieldsOf = (filter: RefFilter | undefined): string[] => {
  if (!filter) return [];
  if ('not' in filter) return rootFieldsOf(filter.not);
  if ('or' in filter) return filter.or.flatMap(rootFieldsOf);
  return [filter.field.split('.')[0]!];
};

export const matches = (filter: RefFilter, person: RefPerson, userIds: string[]): boolean => {
  if ('not' in filter) return !matches(filter.not, person, userIds);
  if ('or' in filter) return filter.or.some((child) => matches(child, person, userIds));
  switch (filter.field) {
    case 'address.country': return filter.op === 'eq' ? person.country === filter.value : person.country !== filter.value;
    case 'address.city': return filter.value.includes(person.city);
    case 'lastName': return person.lastName.toLowerCase().startsWith(filter.value.toLowerCase());
    case 'jobTitle': return person.jobTitle === filter.value;
    case 'owner': return filter.op === 'isEmpty' ? person.owner === null : person.owner === filter.value;
  }
};

export interface ReferenceContext {
  world: World;
  userIds: string[];
  userIndex: number;
}

const isBelow = (world: World, role: number, ancestor: number): boolean => {
  for (let current = world.roles[role]!.parent; current !== null; current = world.roles[current]!.parent) if (current === ancestor) return true;
  return false;
};

/** Owners whose records the user's record access covers (not `all`). */
const ownersOf = ({ world, userIds, userIndex }: ReferenceContext): Set<string> => {
  const owners = new Set([userIds[userIndex]!]);
  const { recordAccess } = world.roles[userIndex]!;
  if (recordAccess === 'team' || recordAccess === 'teamAndSubordinates') {
    for (const team of world.teams) if (team.includes(userIndex)) team.forEach((member) => owners.add(userIds[member]!));
  }
  if (recordAccess === 'teamAndSubordinates') {
    world.roles.forEach((_, other) => {
      if (isBelow(world, other, userIndex)) owners.add(userIds[other]!);
    });
  }
  return owners;
};

// A rule shared with a role reaches its holder and the holders of every role above it.
const reachingRules = ({ world, userIndex }: ReferenceContext): RuleSpec[] =>
  world.rules.filter((rule) =>
    rule.target.type === 'team' ? world.teams[rule.target.index]!.includes(userIndex) : rule.target.index === userIndex || isBelow(world, rule.target.index, userIndex),
  );

const byRecordAccess = (person: RefPerson, context: ReferenceContext): boolean => {
  const { world, userIndex, userIds } = context;
  const { recordAccess } = world.roles[userIndex]!;
  if (recordAccess === 'all') return true;
  if (person.owner !== null && ownersOf(context).has(person.owner)) return true;
  return recordAccess === 'territory' && world.territory.members.includes(userIndex) && matches(world.territory.filter, person, userIds);
};

export const isVisible = (person: RefPerson, context: ReferenceContext): boolean =>
  byRecordAccess(person, context) || reachingRules(context).some((rule) => matches(rule.filter, person, context.userIds));

export const isWritable = (person: RefPerson, context: ReferenceContext): boolean =>
  byRecordAccess(person, context) || reachingRules(context).some((rule) => rule.access === 'write' && matches(rule.filter, person, context.userIds));
