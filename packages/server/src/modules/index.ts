import type { StandardObject } from '../engine/metadata/standard-objects.ts';
import { noteObject } from './activities/note.object.ts';
import { taskObject } from './activities/task.object.ts';
import { taskReminderRule } from './activities/task-reminder.ts';
import { meetingObject } from './activities/meeting.object.ts';
import { callObject } from './activities/call.object.ts';
import { commentObject } from './activities/comment.object.ts';
import { bookingPageObject } from './activities/booking-page.object.ts';
import { relatedRules } from './activities/related-record.ts';
import { relatedUpgrade } from './activities/related-upgrade.ts';
import { meetingRules } from './activities/meeting-rules.ts';
import { callRules } from './activities/call-rules.ts';
import { actionTemplateObject, defaultActionTemplates } from './activities/action-templates/action-template.object.ts';
import { actionTemplatesApi } from './activities/action-templates/action-templates.routes.ts';
import { actionTemplateRules } from './activities/action-templates/action-template-rules.ts';
import { taskRecurrence } from './activities/task-recurrence.ts';
import { calendarApi } from './activities/calendar/calendar.routes.ts';
import { calendarJobHandlers } from './activities/calendar/calendar-jobs.ts';
import { meetingInvitationTriggers } from './activities/calendar/meeting-invitation-triggers.ts';
import { taskReminderEmailTriggers } from './activities/calendar/task-reminder-email-triggers.ts';
import type { EngineServices } from '../engine/api/context.ts';
import { bookingPageRules } from './activities/booking/booking-page-rules.ts';
import { bookingVisitorErasure } from './activities/booking/booking-store.ts';
import { bookingApi } from './activities/booking/booking.routes.ts';
import type { ReminderRule } from '../engine/notifications/notification-rules.ts';
import { companyObject } from './companies/company.object.ts';
import { personIndexes, personObject } from './people/person.object.ts';
import { opportunityObject } from './pipeline/opportunity.object.ts';
import { pipelineObject } from './pipeline/pipeline.object.ts';
import { pipelineStageObject } from './pipeline/pipeline-stage.object.ts';
import { defaultPipeline, defaultStages } from './pipeline/default-pipeline.ts';
import { convertLegacyStage, moveLegacyStageAside } from './pipeline/legacy-stage.ts';
import { opportunityStageRules, pipelineStageRules } from './pipeline/stage-rules.ts';
import { goalObject } from './pipeline/goal.object.ts';
import { goalRules } from './pipeline/goal-rules.ts';
import { defaultPointRules, pointRuleObject } from './pipeline/point-rule.object.ts';
import { forecastSnapshotObject } from './pipeline/forecast-snapshot.object.ts';
import { createForecastSnapshotJobHandler, FORECAST_SNAPSHOT_CRON, FORECAST_SNAPSHOT_JOB } from './pipeline/forecast-snapshots.ts';
import { createStalledDealsJobHandler, STALLED_DEALS_CRON, STALLED_DEALS_JOB, stalledFlagRules } from './pipeline/stalled-deals.ts';
import type { JobHandler } from '../engine/jobs/index.ts';
import { createWinModelJobHandler, WIN_MODEL_CRON, WIN_MODEL_JOB } from './pipeline/win-probability/win-store.ts';
import type { MetadataCache } from '../engine/metadata/metadata-store.ts';
import { installRecordBehaviours, type RecordBehaviour } from '../engine/records/record-behaviours.ts';
import { installModuleApis, type ModuleApi } from '../engine/api/module-api.ts';
import { pipelineApi } from './pipeline/pipeline.routes.ts';
import { telephonyApi } from './activities/telephony/telephony.routes.ts';
import { consentObject } from './privacy/consent.object.ts';
import { exchangeRateIndexes, exchangeRateObject } from './currency/exchange-rate.object.ts';
import { productCategoryObject } from './products/product-category.object.ts';
import { productObject } from './products/product.object.ts';
import { priceBookObject } from './products/price-book.object.ts';
import { priceBookEntryObject } from './products/price-book-entry.object.ts';
import { opportunityLineItemObject } from './products/opportunity-line-item.object.ts';
import { lineItemRules, opportunityAmountRules } from './products/line-item-rules.ts';
import { priceBookEntryRules, priceBookRules, productCategoryRules } from './products/catalogue-rules.ts';

/** The standard objects every workspace starts with, in creation order (targets before the relations to them). */
export const standardObjects: StandardObject[] = [
  // Sorting companies by name uses the name field's own (name, id) index.
  { definition: companyObject },
  { definition: personObject, indexes: personIndexes },
  { definition: pipelineObject, initialRecords: defaultPipeline },
  { definition: pipelineStageObject, indexes: [{ fields: ['pipeline', 'position'] }], initialRecords: defaultStages },
  // Products, price books and their entries (FEATURES D4): a deal names its price book.
  { definition: productCategoryObject, indexes: [{ fields: ['parent'] }] },
  { definition: productObject, indexes: [{ fields: ['category'] }] },
  { definition: priceBookObject },
  { definition: priceBookEntryObject, indexes: [{ fields: ['priceBook', 'product'] }] },
  // A pipeline's board filtered to a rep: (pipeline, owner) finds the deals, stage groups them. A quarter's forecast
  // reads every deal closing in it: the close date first, then every column it sums, so it is read from the index alone.
  {
    definition: opportunityObject,
    indexes: [
      { fields: ['stage', 'closeDate'] },
      { fields: ['pipeline', 'owner'] },
      { fields: ['closeDate', 'stage', 'probability', 'amount', 'amount.currency', 'forecastCategory', 'managerForecastCategory', 'pipeline', 'owner'] },
    ],
    upgrade: { before: moveLegacyStageAside, after: convertLegacyStage },
  },
  // A deal's product lines in order: (opportunity, position).
  { definition: opportunityLineItemObject, indexes: [{ fields: ['opportunity', 'position'] }] },
  { definition: goalObject, indexes: [{ fields: ['kpi', 'periodStart'] }] },
  { definition: pointRuleObject, initialRecords: defaultPointRules },
  { definition: forecastSnapshotObject, indexes: [{ fields: ['period', 'takenOn'] }] },
  // An activity's `related` was JSON before the reference type: related-upgrade.ts converts it.
  { definition: taskObject, indexes: [{ fields: ['status', 'dueAt'] }], upgrade: relatedUpgrade('task') },
  { definition: noteObject, upgrade: relatedUpgrade('note') },
  // A user's calendar: their meetings by start (the calendar view, the feed, booking pages' busy times).
  { definition: meetingObject, indexes: [{ fields: ['owner', 'start'] }, { fields: ['start'] }], upgrade: relatedUpgrade('meeting') },
  // A telephony event finds its call by the provider's id; a rep's calls by time.
  { definition: callObject, indexes: [{ fields: ['externalId'] }, { fields: ['owner', 'startedAt'] }], upgrade: relatedUpgrade('call') },
  { definition: commentObject, upgrade: relatedUpgrade('comment') },
  // One-click actions on a record (FEATURES A7): a workspace starts with four.
  { definition: actionTemplateObject, initialRecords: defaultActionTemplates },
  { definition: bookingPageObject },
  // A person's consents, newest purpose by purpose: the person page and the data subject archive list them.
  { definition: consentObject, indexes: [{ fields: ['person', 'purpose'] }] },
  // Dated rates: amounts convert to the workspace currency at the rate of their date (engine/currency).
  { definition: exchangeRateObject, indexes: exchangeRateIndexes },
];

/** Reminders the modules ask for: the notifications consumer schedules them from the change feed. */
export const reminderRules: ReminderRule[] = [taskReminderRule];

/** The modules' own API routes and their OpenAPI description. */
export const moduleApis: ModuleApi[] = [pipelineApi, telephonyApi, bookingApi, calendarApi, actionTemplatesApi];

/** What the modules add to the write path of their objects. */
// In order: a deal's stage rules run before its stalled flag is judged.
export const recordBehaviours: RecordBehaviour[] = [
  ...['task', 'note', 'meeting', 'call', 'comment'].map(relatedRules),
  meetingRules,
  callRules,
  // A task done makes its next occurrence; then reminders by email and invitations follow what was written.
  taskRecurrence, taskReminderEmailTriggers, meetingInvitationTriggers,
  bookingPageRules, bookingVisitorErasure, actionTemplateRules,
  opportunityStageRules, stalledFlagRules, pipelineStageRules, goalRules, opportunityAmountRules, lineItemRules, productCategoryRules, priceBookRules, priceBookEntryRules];

/** The modules' job types (background.ts runs them with the platform's). */
export const moduleJobHandlers = (services: { metadata: MetadataCache } & Pick<EngineServices, 'accessProfiles' | 'identity'>): Record<string, JobHandler> => ({
  ...calendarJobHandlers(services),
  [STALLED_DEALS_JOB]: createStalledDealsJobHandler(services),
  [WIN_MODEL_JOB]: createWinModelJobHandler(services),
  [FORECAST_SNAPSHOT_JOB]: createForecastSnapshotJobHandler(services),
});

/** The modules' recurring jobs: job type and cron (UTC). */
export const moduleSchedules: [type: string, cron: string][] = [
  [STALLED_DEALS_JOB, STALLED_DEALS_CRON],
  [WIN_MODEL_JOB, WIN_MODEL_CRON],
  [FORECAST_SNAPSHOT_JOB, FORECAST_SNAPSHOT_CRON],
];

// Whatever knows the standard objects (the app, the background process, admin commands, tests) writes them with
// their modules' rules and serves their routes: installed when this file is first imported, so no composition can
// forget them.
installRecordBehaviours(recordBehaviours);
installModuleApis(moduleApis);
