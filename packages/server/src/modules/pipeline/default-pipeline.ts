import type { MadeRecord } from '../../engine/metadata/standard-objects.ts';

/** The pipeline a workspace starts with. */
export const defaultPipeline = () => [{ name: 'New business', position: 1, isActive: true, stalledAfterDaysWithoutActivity: 30, stalledAfterDaysInStage: 60, stalledWhenCloseDatePassed: true }];

/**
 * Its stages, as most sales teams run them. The choice values of the stage field before pipelines existed are kept
 * as `legacyValue`, so a workspace made by an earlier version maps its deals onto them (legacy-stage.ts).
 */
export const DEFAULT_STAGES = [
  { legacyValue: 'qualification', name: 'Qualification', probability: 10, kind: 'open', forecastCategory: 'pipeline', requiredFields: [] },
  { legacyValue: 'meeting', name: 'Meeting', probability: 25, kind: 'open', forecastCategory: 'pipeline', requiredFields: [] },
  { legacyValue: 'proposal', name: 'Proposal', probability: 50, kind: 'open', forecastCategory: 'bestCase', requiredFields: ['amount', 'closeDate'] },
  { legacyValue: 'negotiation', name: 'Negotiation', probability: 75, kind: 'open', forecastCategory: 'commit', requiredFields: ['amount', 'closeDate'] },
  { legacyValue: 'won', name: 'Won', probability: 100, kind: 'won', forecastCategory: 'closed', requiredFields: ['amount'] },
  { legacyValue: 'lost', name: 'Lost', probability: 0, kind: 'lost', forecastCategory: 'omitted', requiredFields: ['lossReason'] },
] as const;

export const defaultStages = (made: ReadonlyMap<string, readonly MadeRecord[]>) => {
  const pipeline = made.get('pipeline')?.[0];
  if (!pipeline) return [];
  return DEFAULT_STAGES.map(({ legacyValue: _legacy, requiredFields, ...stage }, index) => ({ ...stage, requiredFields: [...requiredFields], position: index + 1, pipeline: pipeline.id }));
};
