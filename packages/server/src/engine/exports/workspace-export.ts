import { Readable } from 'node:stream';
import yazl from 'yazl';
import { objectDefinitionOf } from '../metadata/metadata.service.ts';
import type { ReadContext } from '../records/read-records.ts';
import { readPages, toJsonLines } from './export-records.ts';

export const WORKSPACE_EXPORT_FORMAT = 'rapport.workspace-export';

export interface WorkspaceManifest {
  format: typeof WORKSPACE_EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  workspace: { id: string; name: string };
  objects: { name: string; file: string; records: number }[];
}

/**
 * The whole workspace as one zip archive, written as it is read: `metadata.json` (every object and
 * field, as `GET /metadata/objects` gives them), `records/<object>.jsonl` (every live record, one JSON
 * record per line, as the API returns it) and, last, `manifest.json` with the counts. Records are read
 * through the list endpoint's reader, with the caller's permissions.
 */
export const exportWorkspace = async (context: Omit<ReadContext, 'object'>): Promise<Readable> => {
  const objects = [...context.access.view.objects.values()];
  const zip = new yazl.ZipFile();
  const exportedAt = new Date().toISOString();
  zip.addBuffer(Buffer.from(`${JSON.stringify({ objects: objects.map(objectDefinitionOf) }, null, 2)}\n`), 'metadata.json', { mtime: new Date(exportedAt) });
  // The first object's first page is read before the answer starts: a failing read is still an error answer.
  let next = objects[0] ? await readPages({ ...context, object: objects[0] }, {}) : undefined;
  const write = async () => {
    const written: WorkspaceManifest['objects'] = [];
    for (const object of objects) {
      const pages = next ?? (await readPages({ ...context, object }, {}));
      next = undefined;
      let count = 0;
      const lines = async function* () {
        for await (const records of pages()) {
          count += records.length;
          if (records.length > 0) yield toJsonLines(records);
        }
      };
      const file = `records/${object.name}.jsonl`;
      const stream = Readable.from(lines());
      const read = new Promise<void>((resolve, reject) => stream.once('end', resolve).once('error', reject));
      zip.addReadStream(stream, file, { mtime: new Date(exportedAt) });
      await read;
      written.push({ name: object.name, file, records: count });
    }
    const manifest: WorkspaceManifest = { format: WORKSPACE_EXPORT_FORMAT, version: 1, exportedAt, workspace: { id: context.workspace.id, name: context.workspace.name }, objects: written };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', { mtime: new Date(exportedAt) });
    zip.end();
  };
  const output = zip.outputStream as Readable;
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
};
