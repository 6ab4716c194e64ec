import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import { validationFailed } from '../../../engine/errors.ts';
import type { BehaviourContext, RecordBehaviour, WrittenRecord } from '../../../engine/records/record-behaviours.ts';
import { checkUserIdList, unknownUsers } from '../meeting-rules.ts';
import { availabilityProblems, durationOptionsProblem, isValidSlug, isValidTimezone } from './booking-settings.ts';

// Inside the write path a json field holds its stored text; a caller's value may be either.
const jsonValueOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const slugTaken = (slug: string): FieldError => ({ field: 'slug', code: 'slugTaken', message: `The address "${slug}" is taken by another page.` });

/**
 * Holds `slug` for the page in the installation-wide registry (`/book/{slug}` names no workspace). A slug another
 * workspace registered in the meantime refuses the write like the field check would.
 */
const registerSlug = async ({ trx, workspace }: BehaviourContext, record: WrittenRecord) => {
  const slug = String(record.after.slug);
  await sql`delete from rapport.booking_slug where workspace_id = ${workspace.id} and page_id = ${record.id} and slug <> ${slug}`.execute(trx);
  const { rows } = await sql<{ page_id: string }>`
    insert into rapport.booking_slug (slug, workspace_id, page_id) values (${slug}, ${workspace.id}, ${record.id})
    on conflict (slug) do update set slug = excluded.slug where booking_slug.workspace_id = ${workspace.id} and booking_slug.page_id = ${record.id}
    returning page_id`.execute(trx);
  if (rows.length === 0) throw validationFailed([slugTaken(slug)]);
};

/**
 * A booking page's settings are usable by the slot computation (booking-slots.ts) and its address is free in the
 * whole installation; the registry follows the page through writes, trash and restore.
 */
export const bookingPageRules: RecordBehaviour = {
  object: 'bookingPage',
  async beforeWrite({ trx, workspace }, records) {
    const errors: FieldError[] = [];
    const at = (path: string, field: string, code: string, message: string) => errors.push({ field: `${path}${field}`, code, message });
    for (const record of records) {
      const { slug, timezone } = record.after;
      const [availability, durationOptions, members] = [record.after.availability, record.after.durationOptions, record.after.members].map(jsonValueOf);
      if (record.isGiven('slug') && typeof slug === 'string') {
        if (!isValidSlug(slug)) at(record.path, 'slug', 'invalidFormat', 'Use 3 to 80 lower-case letters, digits and dashes (not at either end).');
        else {
          // Within the workspace the field's own unique index answers; other workspaces are only visible here.
          const { rows } = await sql`select 1 from rapport.booking_slug where slug = ${slug} and workspace_id <> ${workspace.id}`.execute(trx);
          if (rows.length > 0) errors.push({ ...slugTaken(slug), field: `${record.path}slug` });
        }
      }
      if (record.isGiven('timezone') && !isValidTimezone(timezone)) at(record.path, 'timezone', 'invalidTimezone', 'Expected an IANA time zone, e.g. Europe/Paris.');
      if (record.isGiven('availability') && availability !== null && availability !== undefined) {
        const problems = availabilityProblems(availability);
        if (problems.length > 0) at(record.path, 'availability', 'invalidAvailability', problems.join(' '));
      }
      if (record.isGiven('durationOptions') && durationOptions !== null && durationOptions !== undefined) {
        const problem = durationOptionsProblem(durationOptions);
        if (problem) at(record.path, 'durationOptions', 'invalidDurations', problem);
      }
      if (record.isGiven('members') && members !== null && members !== undefined) {
        const checked = checkUserIdList(members);
        if ('problem' in checked) at(record.path, 'members', 'invalidUserList', checked.problem);
        else {
          const missing = await unknownUsers(trx, workspace.id, checked.ids);
          if (missing.length > 0) at(record.path, 'members', 'relationNotFound', `No user of this workspace with id ${missing.join(', ')}.`);
          // Order matters (firstAvailable): the checked list keeps it.
          else record.set('members', checked.ids);
        }
      }
    }
    return errors;
  },
  async afterWrite(context, records) {
    for (const record of records) await registerSlug(context, record);
  },
  async afterDelete({ trx, workspace }, record) {
    // A page in the trash frees its address; restoring it takes the address back if it is still free.
    await sql`delete from rapport.booking_slug where workspace_id = ${workspace.id} and page_id = ${record.id}`.execute(trx);
  },
  async afterRestore(context, record) {
    await registerSlug(context, record);
  },
};
