import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUpload } from '../../api/client.ts';
import { queryKeys } from '../../api/queries.ts';
import { isFinished, isUndoing, previewPartOf, type ImportMapping, type ImportPreview, type ImportRun, type SavedMapping } from './import-model.ts';

const encode = encodeURIComponent;

export const importKeys = {
  all: ['imports'] as const,
  runs: (object: string | undefined) => ['imports', 'runs', object ?? '*'] as const,
  run: (id: string) => ['imports', 'run', id] as const,
  mappings: (object: string) => ['imports', 'mappings', object] as const,
};

export interface ImportOptions {
  object: string;
  mapping: ImportMapping | undefined;
  upsertOn: string | null;
}

const formOf = (file: Blob, fileName: string, { object, mapping, upsertOn }: ImportOptions, extra: Record<string, string> = {}): FormData => {
  const form = new FormData();
  // Fields before the file: a streaming reader on the server meets them first.
  form.append('object', object);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  if (upsertOn) form.append('upsertOn', upsertOn);
  for (const [name, value] of Object.entries(extra)) form.append(name, value);
  form.append('file', file, fileName);
  return form;
};

/** `POST /imports/preview` with the first megabyte of a text file (a workbook whole). */
export const requestPreview = (file: File, options: ImportOptions & { createRelated: boolean }, signal?: AbortSignal): Promise<ImportPreview> =>
  apiUpload<ImportPreview>('/imports/preview', formOf(previewPartOf(file), file.name, options, { createRelated: String(options.createRelated) }), signal ? { signal } : {});

/** `POST /imports`: the whole file, with its upload's progress. */
export const startImport = (
  file: File,
  options: ImportOptions & { dryRun: boolean; createRelated: boolean },
  onProgress?: (loaded: number, total: number) => void,
): Promise<{ id: string }> => {
  const form = formOf(file, file.name, options, { dryRun: String(options.dryRun), createRelated: String(options.createRelated) });
  return apiUpload<{ id: string }>('/imports', form, onProgress ? { onProgress } : {});
};

/** One import, asked again every second until it is finished (and while its undo runs). */
export const useImportRun = (id: string | undefined) => {
  const client = useQueryClient();
  return useQuery({
    queryKey: importKeys.run(id ?? ''),
    queryFn: async ({ signal }) => {
      const run = await api.get<ImportRun>(`/imports/${encode(id!)}`, undefined, signal);
      // Records appeared or went away: the object's lists read them again.
      if (isFinished(run)) void client.invalidateQueries({ queryKey: queryKeys.records(run.object) });
      return run;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const run = query.state.data;
      if (!run) return 1_000;
      return !isFinished(run) || isUndoing(run) ? 1_000 : false;
    },
  });
};

/** The history, newest first (`GET /imports`), of one object or all. */
export const useImportRuns = (object?: string) =>
  useQuery({
    queryKey: importKeys.runs(object),
    queryFn: ({ signal }) => api.get<{ data: ImportRun[] }>('/imports', { limit: 100, ...(object ? { object } : {}) }, signal),
    select: (result) => result.data,
    refetchInterval: (query) => (query.state.data?.data.some((run) => !isFinished(run) || isUndoing(run)) ? 2_000 : false),
  });

export const useUndoImport = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ImportRun>(`/imports/${encode(id)}/undo`),
    onSuccess: (run) => {
      client.setQueryData(importKeys.run(run.id), run);
      void client.invalidateQueries({ queryKey: importKeys.all });
    },
  });
};

export const useSavedMappings = (object: string) =>
  useQuery({
    queryKey: importKeys.mappings(object),
    queryFn: ({ signal }) => api.get<{ data: SavedMapping[] }>('/import-mappings', { object }, signal),
    select: (result) => result.data,
    enabled: object !== '',
  });

export const useSaveMapping = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; object: string; mapping: ImportMapping; upsertOn: string | null }) =>
      api.post<SavedMapping>('/import-mappings', { name: input.name, object: input.object, mapping: input.mapping, ...(input.upsertOn ? { upsertOn: input.upsertOn } : {}) }),
    onSuccess: (saved) => void client.invalidateQueries({ queryKey: importKeys.mappings(saved.object) }),
  });
};

export const useDeleteMapping = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mapping: SavedMapping) => api.delete<void>(`/import-mappings/${encode(mapping.id)}`),
    onSuccess: (_, mapping) => void client.invalidateQueries({ queryKey: importKeys.mappings(mapping.object) }),
  });
};

/** The rejected rows' CSV (`GET /imports/{id}/errors`). */
export const errorsUrlOf = (id: string) => `/api/v1/imports/${encode(id)}/errors`;
