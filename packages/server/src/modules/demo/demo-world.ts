import { DEMO_LOCALES } from './demo-locales.ts';
import { buildLocalePools, type LocalePools } from './demo-pools.ts';
import { createDemoRandom, createWeightedPicker, type DemoRandom } from './demo-random.ts';

export interface DemoCompany {
  id: string;
  name: string;
  /** Host of its website, also the domain of its people's work emails. */
  domain: string;
  pools: LocalePools;
  /** Its account owner: its people and most of its deals go to them too. */
  ownerId: string | undefined;
}

export interface DemoContact {
  id: string;
  fullName: string;
  /** -1 for people without a company. */
  companyIndex: number;
}

/** What the generators share while a seed runs: the pools, and the records made so far that later ones link to. */
export interface DemoWorld {
  random: DemoRandom;
  pickPools(): LocalePools;
  /** Midnight UTC of the seeding day, in ms: dates are spread around it. */
  today: number;
  /** First number appended to email addresses; every address of the run gets its own. */
  emailCounterStart: number;
  companies: DemoCompany[];
  /** A few people per company, for opportunity contacts. */
  companyContacts: string[][];
  /** A uniform sample of the people, for tasks and notes. */
  contacts: DemoContact[];
  contactsSeen: number;
  usedDomains: Set<string>;
  /** Last number appended to each domain, by its plain form. */
  domainSuffixes: Map<string, number>;
  /** Checked phone numbers by template. */
  phonePools: Map<string, string[]>;
  /** The users records are dealt to, each as often as their share (reps more than managers); empty: no owners. */
  owners: string[];
}

const CONTACTS_PER_COMPANY = 3;
const CONTACT_SAMPLE = 100_000;

export const buildDemoWorld = async (options: { seed: number; emailCounterStart: number; owners?: string[] }): Promise<DemoWorld> => {
  const { seed, emailCounterStart } = options;
  const pools = await Promise.all(DEMO_LOCALES.map((locale, index) => buildLocalePools(locale, seed * 31 + index)));
  const pickPools = createWeightedPicker(pools.map((value) => ({ value, weight: value.locale.weight })));
  // The counter joins the seed: a second run over the same workspace makes other names and ids.
  const random = createDemoRandom(seed, emailCounterStart);
  const now = new Date();
  return {
    random,
    pickPools: () => pickPools(random),
    today: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
    emailCounterStart,
    companies: [],
    companyContacts: [],
    contacts: [],
    contactsSeen: 0,
    usedDomains: new Set(),
    domainSuffixes: new Map(),
    phonePools: new Map(),
    owners: options.owners ?? [],
  };
};

/** An owner for a new record, or undefined when the seed deals none. */
export const pickOwner = (world: DemoWorld): string | undefined => (world.owners.length > 0 ? world.random.pick(world.owners) : undefined);

/** Big accounts first: a few companies hold many people and deals, as in real CRMs. */
export const pickCompanyIndex = (world: DemoWorld): number =>
  Math.min(world.companies.length - 1, Math.floor(world.companies.length * world.random.next() ** 1.6));

export const rememberContact = (world: DemoWorld, contact: DemoContact): void => {
  if (contact.companyIndex >= 0) {
    const list = (world.companyContacts[contact.companyIndex] ??= []);
    if (list.length < CONTACTS_PER_COMPANY) list.push(contact.id);
  }
  // Reservoir sampling keeps the sample uniform over all people seen.
  world.contactsSeen += 1;
  if (world.contacts.length < CONTACT_SAMPLE) world.contacts.push(contact);
  else {
    const slot = Math.floor(world.random.next() * world.contactsSeen);
    if (slot < CONTACT_SAMPLE) world.contacts[slot] = contact;
  }
};
