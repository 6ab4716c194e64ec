import { Readable } from 'node:stream';
import yazl from 'yazl';
import { readPages, toJsonLines } from '../exports/export-records.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { assertCanExport } from '../permissions/assert-access.ts';
import { getRecord, readRecordHistory, type ReadContext } from '../records/read-records.ts';

const HISTORY_PAGE = 500;

/**
 * Everything Rapport holds about one record, for a data subject's request (GDPR art. 15 and 20) as one
 * zip archive: `record.json` (the record), `history.jsonl` (every change, oldest last as the API lists
 * them), `related/<object>.<field>.jsonl` (records of other objects that point to it: its notes, tasks, deals)
 * and `manifest.json`. Read through the caller's permissions, like every read.
 */
export const exportPersonalData = async (context: ReadContext, id: string): Promise<Readable> => {
  assertCanExport(context.access, context.object.name);
  const record = await getRecord(context, { id, withDeleted: true });
  const history: unknown[] = [];
  for (let before: number | undefined; ; ) {
    const page = await readRecordHistory(context, { id, limit: HISTORY_PAGE, ...(before !== undefined ? { beforeId: before } : {}) });
    history.push(...page.data);
    if (!page.pageInfo.hasNextPage || page.pageInfo.nextBefore === null) break;
    before = page.pageInfo.nextBefore;
  }
  // Records elsewhere that point here through a many-to-one relation (a note's or a deal's person) or a reference (an activity's `related`).
  const related: { object: string; field: string; records: number }[] = [];
  const files: { name: string; text: string }[] = [];
  for (const other of context.access.view.objects.values()) {
    for (const field of other.fields) {
      const isReference = field.type === 'reference' && (!field.options?.targets || field.options.targets.includes(context.object.name));
      if (!isReference && (field.type !== 'relation' || relationKind(field) !== 'manyToOne' || field.options?.target !== context.object.name)) continue;
      const byId = { field: isReference ? `${field.name}.id` : field.name, op: 'eq' as const, value: id };
      const filter = isReference ? { and: [byId, { field: `${field.name}.object`, op: 'eq' as const, value: context.object.name }] } : byId;
      const pages = await readPages({ ...context, object: other }, { filter });
      const records: unknown[] = [];
      for await (const page of pages()) records.push(...page);
      if (records.length === 0) continue;
      related.push({ object: other.name, field: field.name, records: records.length });
      files.push({ name: `related/${other.name}.${field.name}.jsonl`, text: toJsonLines(records) });
    }
  }
  const zip = new yazl.ZipFile();
  const at = new Date();
  zip.addBuffer(Buffer.from(`${JSON.stringify(record, null, 2)}\n`), 'record.json', { mtime: at });
  zip.addBuffer(Buffer.from(toJsonLines(history)), 'history.jsonl', { mtime: at });
  for (const file of files) zip.addBuffer(Buffer.from(file.text), file.name, { mtime: at });
  const manifest = { format: 'rapport.personal-data', version: 1, exportedAt: at.toISOString(), object: context.object.name, id, history: history.length, related };
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', { mtime: at });
  zip.end();
  return zip.outputStream as Readable;
};
