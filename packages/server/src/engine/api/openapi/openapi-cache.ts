import type { WorkspaceMeta } from '../../metadata/types.ts';
import { buildOpenApiDocument, type BuildOpenApiOptions } from './build-openapi.ts';
import type { OpenApiDocument } from './openapi-types.ts';

const MAX_ENTRIES = 1000;

export interface OpenApiCache {
  /** The workspace's document, built once per metadata version. */
  get(options: BuildOpenApiOptions): OpenApiDocument;
}

interface Entry {
  version: number;
  // The title carries the workspace name, which can change without a metadata change.
  name: string;
  document: OpenApiDocument;
}

const isCurrent = (entry: Entry | undefined, workspace: WorkspaceMeta): entry is Entry =>
  entry !== undefined && entry.version === workspace.version && entry.name === workspace.name;

export const createOpenApiCache = (build: typeof buildOpenApiDocument = buildOpenApiDocument): OpenApiCache => {
  const entries = new Map<string, Entry>();
  return {
    get({ workspace, serverUrl }) {
      let entry = entries.get(workspace.id);
      if (!isCurrent(entry, workspace)) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entry = { version: workspace.version, name: workspace.name, document: build({ workspace }) };
        entries.set(workspace.id, entry);
      }
      // Only the server URL differs between requests: a shallow copy shares the rest.
      return serverUrl === undefined ? entry.document : { ...entry.document, servers: [{ url: serverUrl }] };
    },
  };
};
