import { sql } from 'kysely';
import type { Database } from '../../engine/db/database.ts';
import { AppError } from '../../engine/errors.ts';
import { getFieldTypeHandler } from '../../engine/fields/registry.ts';
import { loadWorkspaceMeta } from '../../engine/metadata/metadata-store.ts';
import type { ObjectMeta, WorkspaceMeta } from '../../engine/metadata/types.ts';
import { ownerFieldOf } from '../../engine/permissions/row-rules.ts';
import { learnTypoWords } from '../../engine/search/search-typos.ts';
import { bulkLoad, vacuumAnalyzeTables } from './bulk-load.ts';
import { createObjectCsvEncoder, quoteIdentifier, type ObjectCsvEncoder } from './csv-encoder.ts';
import { computeFullName, makeCall, makeCompany, makeMeeting, makeNote, makeOpportunity, makePerson, makeTask, type DemoChoices, type DemoStage } from './demo-records.ts';
import { ensureDemoSalesOrg, type DemoSalesOrg } from './demo-sales-org.ts';
import { buildDemoWorld } from './demo-world.ts';
import { dropSecondaryIndexes, rebuildIndexes } from './index-rebuild.ts';
import { readDefaultPipeline, readStagesOfPipelines } from '../pipeline/pipeline-store.ts';
import { ensureDemoExchangeRates, ensureDemoGoals, ensureRenewalsPipeline } from './demo-pipelines.ts';

export interface SeedDemoProgress {
  object: string;
  done: number;
  total: number;
}

export interface SeedDemoOptions {
  database: Database;
  workspaceId: string;
  /** People to create; companies, opportunities, tasks, notes, meetings and calls follow from it. */
  people: number;
  /** Companies to create; one per ten people by default. */
  companies?: number;
  /**
   * Opportunities to create; one per five people by default. More than that (a million deals over 200,000
   * people for the sales benchmarks) gives each company and contact more deals.
   */
  opportunities?: number;
  /** Same seed, same data (for a given workspace state and day). */
  seed?: number;
  onProgress?(progress: SeedDemoProgress): void;
}

export interface SeedDemoResult {
  companies: number;
  people: number;
  opportunities: number;
  tasks: number;
  notes: number;
  meetings: number;
  calls: number;
  /** Revenue goals added (per rep and for the company, this quarter and the last). */
  goals: number;
  /** Exchange rates added: one per currency of the demo's markets the workspace had none for. */
  exchangeRates: number;
  ms: number;
}

const DEMO_OBJECTS = ['company', 'person', 'opportunity', 'task', 'note', 'meeting', 'call'] as const;
const TYPO_WORDS_PER_STATEMENT = 5_000;
type DemoObjectName = (typeof DEMO_OBJECTS)[number];

const getDemoObjects = (workspace: WorkspaceMeta): Record<DemoObjectName, ObjectMeta> => {
  const entries = DEMO_OBJECTS.map((name) => {
    const object = workspace.objects.get(name);
    if (!object) throw new AppError('OBJECT_NOT_FOUND', `Demo data needs the standard object "${name}", which this workspace does not have.`);
    return [name, object] as const;
  });
  return Object.fromEntries(entries) as Record<DemoObjectName, ObjectMeta>;
};

// Reps carry most accounts; managers and the VP keep a few key ones.
const OWNER_SHARES = { rep: 4, manager: 2, vp: 1, operations: 0 } as const;

const dealtOwners = (org: DemoSalesOrg): string[] => org.members.flatMap((member) => Array<string>(OWNER_SHARES[member.role]).fill(member.id));

const choicesOf = (object: ObjectMeta, fieldName: string): string[] =>
  object.fieldsByName.get(fieldName)?.options?.choices?.map((choice) => choice.value) ?? [];

// Every seeded address ends with its own number; starting above the highest one already stored keeps
// addresses unique when a workspace is seeded again (the number is the only digit run before the @).
const findEmailCounterStart = async (database: Database, workspace: WorkspaceMeta, person: ObjectMeta): Promise<number> => {
  const field = person.fieldsByName.get('email');
  if (!field) throw new AppError('OBJECT_NOT_FOUND', 'Demo data needs the field person.email.');
  const column = getFieldTypeHandler(field.type).columns(field)[0]!.column;
  const { rows } = await sql<{ highest: number | null }>`
    select max(substring(${sql.ref(column)} from '([0-9]{1,12})@')::bigint) as highest
    from ${sql.id(workspace.schema, person.table)}`.execute(database.db);
  return Number(rows[0]?.highest ?? 0) + 1;
};

// The stages of the active pipelines, each with its pipeline: deals are dealt into them.
const readDemoStages = async (database: Database, workspace: WorkspaceMeta): Promise<DemoStage[]> => {
  const pipelines = workspace.objects.get('pipeline');
  if (!pipelines) return [];
  const active = pipelines.fieldsByName.get('isActive')!.column;
  const { rows } = await sql<{ id: string }>`select id from ${sql.id(workspace.schema, pipelines.table)} where deleted_at is null and ${sql.ref(active)} is not false`.execute(database.db);
  const stages = await readStagesOfPipelines(database.db, workspace, rows.map((row) => row.id));
  return stages.map(({ id, name, pipeline, kind, probability, forecastCategory }) => ({ id, name, pipeline, kind, probability, forecastCategory }));
};

const isConverted = (encoder: ObjectCsvEncoder, fieldName: string) => (value: string) => encoder.convert(fieldName, value).ok;

/**
 * Fills a workspace with realistic, multilingual demo data, owned by a small sales organisation
 * (`ensureDemoSalesOrg`: read it back with the same call), fast enough for a million people: values
 * are generated from pools, converted by the field handlers exactly as the write path would store
 * them, and bulk loaded with COPY. The bulk load bypasses the write path's history and events on
 * purpose: seeded records have no history and trigger no automations or webhooks.
 */
export const seedDemo = async ({ database, workspaceId, people, companies, opportunities, seed = 1, onProgress }: SeedDemoOptions): Promise<SeedDemoResult> => {
  if (!Number.isInteger(people) || people < 0) throw new AppError('INVALID_REQUEST', 'people is a whole number, 0 or more.');
  if (companies !== undefined && (!Number.isInteger(companies) || companies < 1)) throw new AppError('INVALID_REQUEST', 'companies is a whole number, 1 or more.');
  if (opportunities !== undefined && (!Number.isInteger(opportunities) || opportunities < 0)) throw new AppError('INVALID_REQUEST', 'opportunities is a whole number, 0 or more.');
  const started = performance.now();
  const workspace = await loadWorkspaceMeta(database.db, workspaceId);
  const objects = getDemoObjects(workspace);
  // Owners are dealt while the rows are generated, so the COPY writes them (no later UPDATE).
  const org = await ensureDemoSalesOrg(database.db, workspaceId);
  const world = await buildDemoWorld({ seed, emailCounterStart: await findEmailCounterStart(database, workspace, objects.person), owners: dealtOwners(org) });
  // Two pipelines, so that "one pipeline" filters: the default one takes 80% of the deals, Renewals the rest.
  await ensureRenewalsPipeline(database.db, workspace);
  const defaultPipeline = await readDefaultPipeline(database.db, workspace);
  const stages = await readDemoStages(database, workspace);
  const otherPipelines = [...new Set(stages.map((stage) => stage.pipeline))].filter((id) => id !== defaultPipeline?.id);
  const pipelineShares = [
    ...(defaultPipeline ? [{ pipeline: defaultPipeline.id, share: otherPipelines.length > 0 ? 80 : 100 }] : []),
    ...otherPipelines.map((pipeline) => ({ pipeline, share: 20 / otherPipelines.length })),
  ];
  const ownerFields = Object.fromEntries(DEMO_OBJECTS.map((name) => [name, ownerFieldOf(objects[name])?.name]));
  const choices: DemoChoices = {
    industries: choicesOf(objects.company, 'industry'),
    stages,
    pipelineShares,
    lossReasons: choicesOf(objects.opportunity, 'lossReason'),
    taskStatuses: choicesOf(objects.task, 'status'),
    priorities: choicesOf(objects.task, 'priority'),
    ownerFields,
    callOutcomes: choicesOf(objects.call, 'outcome'),
    callDirections: choicesOf(objects.call, 'direction'),
  };
  // Title words of every seeded record, taught to the typo dictionary at the end.
  const typoWords = new Set<string>();
  const encoders = {
    company: createObjectCsvEncoder({ workspace, object: objects.company, memoizedFields: ['phone'], typoWords }),
    person: createObjectCsvEncoder({ workspace, object: objects.person, memoizedFields: ['phone'], formulas: { fullName: computeFullName }, typoWords }),
    opportunity: createObjectCsvEncoder({ workspace, object: objects.opportunity, typoWords }),
    task: createObjectCsvEncoder({ workspace, object: objects.task, typoWords }),
    note: createObjectCsvEncoder({ workspace, object: objects.note, typoWords }),
    meeting: createObjectCsvEncoder({ workspace, object: objects.meeting, typoWords }),
    call: createObjectCsvEncoder({ workspace, object: objects.call, typoWords }),
  };
  const counts = {
    companies: companies ?? (people > 0 ? Math.ceil(people / 10) : 0),
    people,
    // Deals belong to companies: none without them.
    opportunities: people > 0 || (companies ?? 0) > 0 ? (opportunities ?? Math.round(people / 5)) : 0,
    tasks: Math.round(people / 10),
    notes: Math.round(people / 10),
    meetings: Math.round(people / 10),
    calls: Math.round(people / 5),
  };

  // A table's indexes are rebuilt while the next table loads: on PostgreSQL the builds run in other
  // backends, beside the generation in this process.
  const rebuilds: Promise<void>[] = [];
  const load = async (object: DemoObjectName, total: number, makeLine: (index: number) => string) => {
    const indexes = await dropSecondaryIndexes({ database, schema: workspace.schema, table: objects[object].table, rows: total });
    try {
      await bulkLoad({
        database,
        table: encoders[object].table,
        columns: encoders[object].columns,
        total,
        makeLine,
        onProgress: (done) => onProgress?.({ object, done, total }),
      });
    } finally {
      const rebuilding = rebuildIndexes(database, indexes);
      rebuilding.catch(() => undefined);
      rebuilds.push(rebuilding);
    }
  };

  const junctionTables: string[] = [];
  // A many-to-many relation's links, written straight into its junction table.
  const loadLinks = async (object: ObjectMeta, field: string, links: string[]) => {
    const junction = object.fieldsByName.get(field)?.junction;
    if (!junction || links.length === 0) return;
    const table = `${quoteIdentifier(workspace.schema)}.${quoteIdentifier(junction.table)}`;
    junctionTables.push(table);
    await bulkLoad({ database, table, columns: [junction.selfColumn, junction.otherColumn].map(quoteIdentifier), total: links.length, makeLine: (index) => links[index]! });
  };
  try {
    const isCompanyPhone = isConverted(encoders.company, 'phone');
    const isPersonPhone = isConverted(encoders.person, 'phone');
    await load('company', counts.companies, () => encoders.company.encode(makeCompany(world, choices, isCompanyPhone)));
    await load('person', counts.people, (index) => encoders.person.encode(makePerson(world, index, isPersonPhone, ownerFields.person)));

    const contactLinks: string[] = [];
    await load('opportunity', counts.opportunities, () => {
      const { record, contactIds } = makeOpportunity(world, choices);
      for (const contactId of contactIds) contactLinks.push(`${record.id},${contactId}\n`);
      return encoders.opportunity.encode(record);
    });
    await loadLinks(objects.opportunity, 'contacts', contactLinks);

    await load('task', counts.tasks, () => encoders.task.encode(makeTask(world, choices)));
    await load('note', counts.notes, () => encoders.note.encode(makeNote(world, ownerFields.note)));
    const attendeeLinks: string[] = [];
    await load('meeting', counts.meetings, () => {
      const { record, attendeeId } = makeMeeting(world, ownerFields.meeting);
      if (attendeeId) attendeeLinks.push(`${record.id},${attendeeId}\n`);
      return encoders.meeting.encode(record);
    });
    await loadLinks(objects.meeting, 'attendees', attendeeLinks);
    await load('call', counts.calls, () => encoders.call.encode(makeCall(world, choices, ownerFields.call)));
    // The typo dictionary fills while the last indexes build (on PostgreSQL, on another connection).
    const learning = (async () => {
      const words = [...typoWords];
      for (let start = 0; start < words.length; start += TYPO_WORDS_PER_STATEMENT) {
        await learnTypoWords(database.db, { schema: workspace.schema, words: words.slice(start, start + TYPO_WORDS_PER_STATEMENT) });
      }
    })();
    learning.catch(() => undefined);
    rebuilds.push(learning);
  } finally {
    // Every index is back before returning, even when a load failed.
    await Promise.allSettled(rebuilds);
  }
  for (const rebuilding of rebuilds) await rebuilding;

  // The forecast's quota: about what the seeded deals win in a quarter (a fifth of deals won, 250k each on average).
  const goals = await ensureDemoGoals(database.db, workspace, org, Math.round((counts.opportunities * 0.2 * 250_000) / 4), world.today);
  // Deals come in the markets' currencies: their rates, so that forecasts and totals count every one of them.
  const exchangeRates = await ensureDemoExchangeRates(database.db, workspace, world.today);
  await vacuumAnalyzeTables(database, [...DEMO_OBJECTS.map((name) => encoders[name].table), ...junctionTables]);
  return { ...counts, goals, exchangeRates, ms: Math.round(performance.now() - started) };
};
