import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { queryKeys } from '../../api/queries.ts';
import type { RecordPage } from '../../api/types.ts';
import { chunksOf, dealMovesOf, inOrder, type PipelineRecord, type StageRecord } from './pipeline-model.ts';

// Under the records' keys, so live updates (someone else's change) refresh this screen too.
export const pipelineKeys = {
  pipelines: [...queryKeys.records('pipeline'), 'settings'] as const,
  stages: (pipelineId: string) => [...queryKeys.records('pipelineStage'), 'settings', pipelineId] as const,
};

const PAGE = 500;

/** Every pipeline, in order. */
export const usePipelines = () =>
  useQuery({
    queryKey: pipelineKeys.pipelines,
    queryFn: async ({ signal }) => inOrder((await api.post<RecordPage>('/records/pipeline/query', { sort: ['position'], limit: PAGE }, { signal })).data as unknown as PipelineRecord[]),
  });

/** The stages of one pipeline, in order. */
export const useStages = (pipelineId: string | undefined) =>
  useQuery({
    queryKey: pipelineKeys.stages(pipelineId ?? ''),
    queryFn: async ({ signal }) =>
      inOrder(
        (await api.post<RecordPage>('/records/pipelineStage/query', { filter: { field: 'pipeline', op: 'eq', value: pipelineId }, sort: ['position'], limit: PAGE }, { signal }))
          .data as unknown as StageRecord[],
      ),
    enabled: pipelineId !== undefined,
  });

const stageFilter = (stageId: string) => ({ field: 'stage', op: 'eq', value: stageId });

/** How many live deals are in a stage (what keeps it out of the trash). */
export const countDealsIn = async (stageId: string): Promise<number> => {
  const page = await api.post<RecordPage>('/records/opportunity/query', { filter: stageFilter(stageId), fields: ['stage'], limit: 1, count: true });
  return page.totalCount ?? page.data.length;
};

/**
 * Moves every deal of a stage to another stage of the same pipeline: all of them are read first, then written in
 * batches of 1,000 (each deal at the version read; a batch is all or nothing). Answers how many moved.
 */
export const moveDeals = async (fromStageId: string, toStageId: string): Promise<number> => {
  const deals: { id: string; version: number }[] = [];
  let cursor: string | null = null;
  do {
    const page: RecordPage = await api.post<RecordPage>('/records/opportunity/query', { filter: stageFilter(fromStageId), fields: ['stage'], limit: 1000, ...(cursor ? { cursor } : {}) });
    deals.push(...page.data.map((deal) => ({ id: deal.id, version: deal.version })));
    cursor = page.pageInfo.hasNextPage ? page.pageInfo.nextCursor : null;
  } while (cursor);
  for (const chunk of chunksOf(dealMovesOf(deals, toStageId), 1000)) await api.post('/records/opportunity/batch', { records: chunk });
  return deals.length;
};
