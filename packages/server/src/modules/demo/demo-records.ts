import type { CsvRecord } from './csv-encoder.ts';
import { toLatinSlug, type LocalePools } from './demo-pools.ts';
import type { DemoRandom } from './demo-random.ts';
import { pickCompanyIndex, pickOwner, rememberContact, type DemoWorld } from './demo-world.ts';
import { categoryOnEntering, probabilityOnEntering } from '../pipeline/forecast-categories.ts';

const DAY = 86_400_000;

/** The select choices of the workspace's objects (read from metadata, so renamed choices still load). */
export interface DemoChoices {
  industries: string[];
  /** The stages of the workspace's pipelines (seed-demo.ts reads them). */
  stages: DemoStage[];
  /** Shares of deals per pipeline (by id, e.g. 80/20); without them, stages are picked across every pipeline. */
  pipelineShares?: { pipeline: string; share: number }[];
  lossReasons: string[];
  taskStatuses: string[];
  priorities: string[];
  /** The owner field of each object (`owner`, a task's `assignee`); records get no owner where absent. */
  ownerFields: { company?: string; person?: string; opportunity?: string; task?: string; note?: string; meeting?: string; call?: string };
  /** Choices of calls' outcome and direction (empty when the workspace has no calls). */
  callOutcomes?: string[];
  callDirections?: string[];
}

/** What an activity is about, as `related` holds it: the person when there is one, else the company. */
const relatedOf = (contact: { id: string } | undefined, company: { id: string } | undefined) =>
  contact ? { related: { object: 'person', id: contact.id } } : company ? { related: { object: 'company', id: company.id } } : {};

const MEETINGS = ['Discovery call with {person}', 'Product demo for {company}', 'Quarterly review with {company}', 'Pricing discussion with {person}', 'Onboarding kick-off: {company}', 'Lunch with {person}'];
const CALLS = ['Call with {person}', 'Follow-up call: {company}', 'Pricing questions from {person}', 'Check-in with {company}'];
const PLACES = ['Their office', 'Our office', 'Café around the corner', 'Trade fair booth'];

/** A meeting with a contact: past ones mostly held, some cancelled; those to come planned. Its attendee is the contact. */
export const makeMeeting = (world: DemoWorld, ownerField?: string): { record: CsvRecord; attendeeId: string | undefined } => {
  const { random } = world;
  const { contact, company } = pickActivityTarget(world);
  const start = world.today + random.int(-60, 21) * DAY + random.int(8, 17) * 3_600_000 + (random.chance(0.5) ? 1_800_000 : 0);
  const isPast = start < world.today;
  const online = random.chance(0.5);
  const values: Record<string, unknown> = {
    title: fillNames(random.pick(MEETINGS), contact?.fullName ?? 'a lead', company?.name ?? 'a prospect'),
    start: iso(start),
    end: iso(start + random.pick([30, 45, 60, 90]) * 60_000),
    status: isPast ? (random.chance(0.85) ? 'held' : 'cancelled') : 'planned',
    ...(online ? { videoUrl: `https://meet.example.com/${random.int(100, 999)}-${random.int(1000, 9999)}` } : { location: random.pick(PLACES) }),
    sequence: 0,
    ...(isPast && random.chance(0.6) ? { outcome: `<p>${random.pick(SENTENCES)}</p>` } : {}),
    ...(contact ? { person: contact.id } : {}),
    ...(company ? { company: company.id } : {}),
    ...relatedOf(contact, company),
  };
  setOwner(values, ownerField, pickOwner(world));
  return { record: { id: random.uuid(), createdAt: iso(Math.min(start, world.today) - random.int(1, 14) * DAY), values }, attendeeId: contact?.id };
};

/** A call of the last month: most connected (minutes long), the rest short misses. */
export const makeCall = (world: DemoWorld, choices: DemoChoices, ownerField?: string): CsvRecord => {
  const { random } = world;
  const { contact, company } = pickActivityTarget(world);
  // Working hours of one of the last thirty days (before today: the seed knows the day, not the hour).
  const startedAt = world.today - random.int(1, 30) * DAY + random.int(8, 17) * 3_600_000 + random.int(0, 59) * 60_000;
  const outcomes = choices.callOutcomes ?? [];
  const outcome = outcomes.length === 0 ? undefined : outcomes.includes('connected') && random.chance(0.65) ? 'connected' : random.pick(outcomes);
  const directions = choices.callDirections ?? [];
  const values: Record<string, unknown> = {
    subject: fillNames(random.pick(CALLS), contact?.fullName ?? 'a lead', company?.name ?? 'a prospect'),
    ...(directions.length > 0 ? { direction: directions.includes('outbound') && random.chance(0.7) ? 'outbound' : random.pick(directions) } : {}),
    startedAt: iso(startedAt),
    durationSeconds: outcome === 'connected' ? random.int(60, 1500) : random.int(0, 40),
    ...(outcome ? { outcome } : {}),
    ...(outcome === 'connected' && random.chance(0.5) ? { notes: `<p>${random.pick(SENTENCES)}</p>` } : {}),
    ...(contact ? { person: contact.id } : {}),
    ...(company ? { company: company.id } : {}),
    ...relatedOf(contact, company),
  };
  setOwner(values, ownerField, pickOwner(world));
  return { id: random.uuid(), createdAt: iso(startedAt), values };
};

// Shares of records that follow their company's account owner.
const PEOPLE_WITH_ACCOUNT_OWNER = 0.8;
const DEALS_WITH_ACCOUNT_OWNER = 0.7;

const setOwner = (values: Record<string, unknown>, field: string | undefined, owner: string | undefined) => {
  if (field && owner) values[field] = owner;
};

/** A pipeline stage as deals are dealt into it. */
export interface DemoStage {
  id: string;
  name: string;
  pipeline: string;
  kind: 'open' | 'won' | 'lost';
  probability: number | null;
  forecastCategory: string | null;
}

/** True when the value converts through the phone field's toDb. */
export type PhoneCheck = (value: string) => boolean;

const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => iso(ms).slice(0, 10);
const pastInstant = (world: DemoWorld, maxDays: number) => world.today - Math.floor(world.random.next() * maxDays * DAY);

const fillTemplate = (template: string, random: DemoRandom) =>
  template.replace(/[XN]/g, (slot) => String(slot === 'X' ? random.int(0, 9) : random.int(2, 9)));

const PHONES_PER_TEMPLATE = 2_000;

// Templates follow each country's numbering plan; the handler has the last word, so a miss is drawn again.
// Parsing a number costs microseconds, so each template keeps a bounded pool of checked numbers: past
// a few hundred thousand phones, numbers repeat (as switchboards do) instead of being parsed again.
const makePhone = (world: DemoWorld, templates: string[], isValid: PhoneCheck): string => {
  const { random } = world;
  const template = random.pick(templates);
  const pool = world.phonePools.get(template) ?? [];
  world.phonePools.set(template, pool);
  if (pool.length >= PHONES_PER_TEMPLATE) return random.pick(pool);
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = fillTemplate(template, random);
    if (!isValid(candidate)) continue;
    pool.push(candidate);
    return candidate;
  }
  throw new Error(`No valid phone number from the template ${template}.`);
};

const EMPLOYEE_BANDS: [number, number, number][] = [
  [1, 10, 30], [11, 50, 30], [51, 200, 20], [201, 1000, 12], [1001, 10_000, 6], [10_001, 100_000, 2],
];

const pickEmployees = (random: DemoRandom): number => {
  let r = random.next() * 100;
  for (const [min, max, share] of EMPLOYEE_BANDS) {
    if (r < share) return random.int(min, max);
    r -= share;
  }
  return random.int(1, 10);
};

const companyDomain = (world: DemoWorld, name: string, pools: LocalePools): string => {
  const words = name.split(/[\s,&.+/-]+/).map(toLatinSlug);
  let base = words[0] ?? '';
  if (base.length < 4 && words[1]) base += words[1];
  if (base.length < 3) base = world.random.pick(pools.domainWords);
  base = base.slice(0, 40);
  const tld = pools.locale.tld;
  const plain = `${base}.${tld}`;
  // Same name, next number: acme.de, acme2.de... (the last number used is kept, so no rescan from 2).
  let suffix = world.domainSuffixes.get(plain) ?? 1;
  let domain = suffix === 1 ? plain : `${base}${suffix}.${tld}`;
  while (world.usedDomains.has(domain)) domain = `${base}${++suffix}.${tld}`;
  world.usedDomains.add(domain);
  world.domainSuffixes.set(plain, suffix);
  return domain;
};

const makeAddress = (random: DemoRandom, pools: LocalePools, withStreet: boolean): Record<string, string> => {
  const place = random.pick(pools.places);
  // Built field by field: object spreads of varying shapes are slow at a million records.
  const address: Record<string, string> = {};
  if (withStreet) address.street = random.pick(pools.streets);
  address.city = place.city;
  address.postalCode = place.postalCode;
  if (random.chance(0.7)) address.region = place.region;
  address.country = pools.locale.country;
  return address;
};

export const makeCompany = (world: DemoWorld, choices: DemoChoices, isPhoneValid: PhoneCheck): CsvRecord => {
  const { random } = world;
  const pools = world.pickPools();
  const name = random.pick(pools.companyNames);
  const id = random.uuid();
  const domain = companyDomain(world, name, pools);
  const index = world.companies.length;
  const employees = pickEmployees(random);
  const revenueUsd = employees * random.int(40, 400) * 1000;
  const values: Record<string, unknown> = {
    name,
    domain,
    industry: choices.industries.length > 0 ? random.pick(choices.industries) : null,
    employees,
    annualRevenue: { amount: Math.round((revenueUsd * pools.locale.usdRate) / 1000) * 1000, currency: pools.locale.currency },
    address: makeAddress(random, pools, true),
    phone: makePhone(world, pools.locale.landlinePhones, isPhoneValid),
  };
  // Earlier companies only: the parent row is already loaded (or in the same COPY).
  if (index > 20 && random.chance(0.05)) values.parentCompany = world.companies[random.int(0, index - 1)]!.id;
  const ownerId = pickOwner(world);
  setOwner(values, choices.ownerFields.company, ownerId);
  world.companies.push({ id, name, domain, pools, ownerId });
  return { id, createdAt: iso(pastInstant(world, 3 * 365) + random.int(0, DAY - 1)), values };
};

const emailLocalPart = (random: DemoRandom, pools: LocalePools, first: number, last: number): string => {
  const f = pools.firstSlugs[first] ?? '';
  const l = pools.lastSlugs[last] ?? '';
  const local = f && l ? random.pick([`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}.${l[0]}`]) : random.pick(pools.handles);
  // The number appended next must be the only trailing digits: that keeps every address distinct.
  return local.slice(0, 40).replace(/[0-9._]+$/, '') || 'contact';
};

export const makePerson = (world: DemoWorld, index: number, isPhoneValid: PhoneCheck, ownerField?: string): CsvRecord => {
  const { random } = world;
  const isEmployed = world.companies.length > 0 && random.chance(0.88);
  const companyIndex = isEmployed ? pickCompanyIndex(world) : -1;
  const company = world.companies[companyIndex];
  const pools = company && random.chance(0.8) ? company.pools : world.pickPools();
  const first = random.int(0, pools.firstNames.length - 1);
  const last = random.int(0, pools.lastNames.length - 1);
  const firstName = pools.firstNames[first]!;
  const lastName = pools.lastNames[last]!;
  const mailDomain = company && random.chance(0.7) ? company.domain : random.pick(pools.locale.freeMailDomains);
  const id = random.uuid();
  const values: Record<string, unknown> = {
    firstName,
    lastName,
    email: `${emailLocalPart(random, pools, first, last)}${world.emailCounterStart + index}@${mailDomain}`,
  };
  if (random.chance(0.8)) values.phone = makePhone(world, random.chance(0.8) ? pools.locale.mobilePhones : pools.locale.landlinePhones, isPhoneValid);
  if (company || random.chance(0.3)) values.jobTitle = random.pick(pools.jobTitles);
  if (company) values.company = company.id;
  if (random.chance(0.75)) values.address = makeAddress(random, pools, random.chance(0.5));
  if (ownerField && world.owners.length > 0) setOwner(values, ownerField, company?.ownerId && random.chance(PEOPLE_WITH_ACCOUNT_OWNER) ? company.ownerId : pickOwner(world));
  rememberContact(world, { id, fullName: `${firstName} ${lastName}`, companyIndex });
  return { id, createdAt: iso(pastInstant(world, 3 * 365) + random.int(0, DAY - 1)), values };
};

/** person.fullName as its formula `join([record.firstName, record.lastName])` computes it. */
export const computeFullName = (record: Record<string, unknown>): string | null => {
  const parts = [record.firstName, record.lastName].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  const joined = parts.join(' ').trim();
  return joined === '' ? null : joined;
};

const DEALS = ['Renewal', 'Expansion', 'Pilot', 'Enterprise licence', 'Onboarding package', 'Support contract', 'Consulting', 'Upsell', 'New logo', 'Training'];
// Shares of deals per stage of the default stages (by name); other open stages weigh 5.
const STAGE_WEIGHTS: Record<string, number> = {
  qualification: 25, meeting: 18, proposal: 15, negotiation: 10, won: 20, lost: 12,
  // The demo's Renewals pipeline (demo-pipelines.ts): most renewals go through.
  'renewal due': 25, 'renewal negotiation': 15, renewed: 45, churned: 15,
};
const weightOf = (stage: DemoStage) => STAGE_WEIGHTS[stage.name.toLowerCase()] ?? (stage.kind === 'won' ? 20 : stage.kind === 'lost' ? 12 : 5);

const pickStage = (random: DemoRandom, stages: DemoStage[]): DemoStage | undefined => {
  const total = stages.reduce((sum, stage) => sum + weightOf(stage), 0);
  let r = random.next() * total;
  for (const stage of stages) {
    r -= weightOf(stage);
    if (r < 0) return stage;
  }
  return stages[0];
};

// The pipeline first (by its share), then a stage of it.
const pickPipelineStage = (random: DemoRandom, choices: DemoChoices): DemoStage | undefined => {
  const shares = choices.pipelineShares?.filter((entry) => entry.share > 0) ?? [];
  if (shares.length < 2) return pickStage(random, choices.stages);
  let r = random.next() * shares.reduce((sum, entry) => sum + entry.share, 0);
  const chosen = shares.find((entry) => (r -= entry.share) < 0) ?? shares[0]!;
  const own = choices.stages.filter((stage) => stage.pipeline === chosen.pipeline);
  return pickStage(random, own.length > 0 ? own : choices.stages);
};


export const makeOpportunity = (world: DemoWorld, choices: DemoChoices): { record: CsvRecord; contactIds: string[] } => {
  const { random } = world;
  const companyIndex = pickCompanyIndex(world);
  const company = world.companies[companyIndex]!;
  const stage = pickPipelineStage(random, choices);
  const isClosed = stage?.kind === 'won' || stage?.kind === 'lost';
  const closeDate = isClosed ? pastInstant(world, 365) : world.today + random.int(1, 180) * DAY;
  const createdAt = Math.min(closeDate, world.today) - random.int(5, 200) * DAY;
  const people = world.companyContacts[companyIndex] ?? [];
  const contactIds = people.slice(0, random.int(0, Math.min(2, people.length)));
  const values: Record<string, unknown> = {
    name: `${company.name} – ${random.pick(DEALS)}`,
    amount: { amount: Math.round((random.int(2, 500) * 1000 * company.pools.locale.usdRate) / 100) * 100, currency: company.pools.locale.currency },
    closeDate: isoDate(closeDate),
    company: company.id,
  };
  if (stage) {
    // In its stage since a day between creation and the close (or today, for an open deal).
    const entered = createdAt + random.next() * (Math.min(closeDate, world.today) - createdAt);
    Object.assign(values, { pipeline: stage.pipeline, stage: stage.id, probability: probabilityOnEntering(stage) ?? 50, forecastCategory: categoryOnEntering(stage), stageEnteredAt: iso(entered) });
    if (stage.kind === 'lost' && choices.lossReasons.length > 0) values.lossReason = random.pick(choices.lossReasons);
  }
  if (world.owners.length > 0) setOwner(values, choices.ownerFields.opportunity, company.ownerId && random.chance(DEALS_WITH_ACCOUNT_OWNER) ? company.ownerId : pickOwner(world));
  return { record: { id: random.uuid(), createdAt: iso(createdAt + random.int(0, DAY - 1)), values }, contactIds };
};

const TASKS = ['Call {person}', 'Follow up with {person}', 'Send the proposal to {company}', 'Prepare the demo for {company}', 'Schedule a meeting with {person}', 'Check the contract of {company}', 'Introduce {person} to the team'];
const NOTES = ['Call with {person}', 'Meeting notes: {company}', 'Feedback from {person}', 'Next steps with {company}', 'Lunch with {person}'];
const SENTENCES = [
  'Interested in the annual plan.', 'Asked for a discount on more seats.', 'The budget is approved for next quarter.',
  'Wants a demo for the sales team.', 'Security review is in progress.', 'Decision expected after the board meeting.',
  'Prefers email over phone.', 'Currently uses a spreadsheet.', 'Competitor offer on the table.', 'Needs an integration with their ERP.',
];

const fillNames = (template: string, person: string, company: string) =>
  template.replace('{person}', () => person).replace('{company}', () => company);

const pickActivityTarget = (world: DemoWorld) => {
  const contact = world.contacts.length > 0 ? world.random.pick(world.contacts) : undefined;
  const company = contact && contact.companyIndex >= 0 ? world.companies[contact.companyIndex] : world.companies.length > 0 ? world.companies[pickCompanyIndex(world)] : undefined;
  return { contact, company };
};

export const makeTask = (world: DemoWorld, choices: DemoChoices): CsvRecord => {
  const { random } = world;
  const { contact, company } = pickActivityTarget(world);
  const due = world.today + random.int(-60, 60) * DAY + random.int(8, 18) * 3_600_000;
  const isPast = due < world.today;
  const status = choices.taskStatuses.includes('done') && isPast && random.chance(0.7) ? 'done' : random.pick(choices.taskStatuses.filter((s) => s !== 'done').length > 0 ? choices.taskStatuses.filter((s) => s !== 'done') : choices.taskStatuses);
  const values: Record<string, unknown> = {
    title: fillNames(random.pick(TASKS), contact?.fullName ?? 'a lead', company?.name ?? 'a prospect'),
    dueAt: iso(due),
    status,
    ...(choices.priorities.length > 0 && random.chance(0.8) ? { priority: random.pick(choices.priorities) } : {}),
    ...(contact ? { person: contact.id } : {}),
    ...(company ? { company: company.id } : {}),
    ...relatedOf(contact, company),
  };
  setOwner(values, choices.ownerFields.task, pickOwner(world));
  return { id: random.uuid(), createdAt: iso(Math.min(due, world.today) - random.int(1, 30) * DAY), values };
};

export const makeNote = (world: DemoWorld, ownerField?: string): CsvRecord => {
  const { random } = world;
  const { contact, company } = pickActivityTarget(world);
  const sentences = Array.from({ length: random.int(1, 4) }, () => random.pick(SENTENCES));
  const values: Record<string, unknown> = {
    title: fillNames(random.pick(NOTES), contact?.fullName ?? 'a lead', company?.name ?? 'a prospect'),
    body: `<p>${sentences.join(' ')}</p>`,
    ...(contact ? { person: contact.id } : {}),
    ...(company ? { company: company.id } : {}),
    ...relatedOf(contact, company),
  };
  setOwner(values, ownerField, pickOwner(world));
  return { id: random.uuid(), createdAt: iso(pastInstant(world, 2 * 365) + random.int(0, DAY - 1)), values };
};
