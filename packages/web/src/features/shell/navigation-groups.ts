import type { ObjectDefinition } from '@rapport/common';

/**
 * Standard objects people set up once or reach from another record (a pipeline's stages, a deal's product lines,
 * rates, point rules, snapshots): listed under "More objects" so the daily ones stay in view.
 */
export const SECONDARY_STANDARD_OBJECTS: ReadonlySet<string> = new Set([
  'pipeline',
  'pipelineStage',
  'productCategory',
  'priceBook',
  'priceBookEntry',
  'opportunityLineItem',
  'pointRule',
  'forecastSnapshot',
  'exchangeRate',
  'consent',
  // A discussion lives on the record it is about; booking pages are set up once.
  'comment',
  'bookingPage',
  'actionTemplate',
]);

/** The navigation's groups: daily standard objects, secondary ones, custom objects; each keeps the given order. */
export const navigationGroupsOf = (objects: readonly ObjectDefinition[]) => ({
  main: objects.filter((object) => object.isStandard && !SECONDARY_STANDARD_OBJECTS.has(object.name)),
  secondary: objects.filter((object) => object.isStandard && SECONDARY_STANDARD_OBJECTS.has(object.name)),
  custom: objects.filter((object) => !object.isStandard),
});
