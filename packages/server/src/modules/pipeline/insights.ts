import { getRecord, type ReadContext } from '../../engine/records/read-records.ts';
import { readStagesById } from './pipeline-store.ts';
import { predictDealWin, type WinProbabilityAnswer } from './win-probability/win-store.ts';
import { getZonedToday } from '../../engine/query/relative-dates.ts';

export interface DealHint {
  code: 'noRecentContact' | 'closeDatePassed' | 'noAmount' | 'noContactPerson' | 'longInStage' | 'committedButUnlikely';
  message: string;
}

export interface DealInsights {
  winProbability: WinProbabilityAnswer;
  hints: DealHint[];
}

const DAY = 86_400_000;
/** Days without a task or note after which a deal asks for contact. */
export const NO_CONTACT_DAYS = 14;


/** Next best actions of an open deal, from what it lacks and how long it has waited. */
export const dealHints = (deal: Record<string, unknown>, context: { stageName: string | null; isOpen: boolean; winProbability: number | undefined; timeZone: string; now?: Date }): DealHint[] => {
  if (!context.isOpen) return [];
  const now = context.now ?? new Date();
  const hints: DealHint[] = [];
  const lastTouch = Date.parse(String(deal.lastActivityAt ?? deal.createdAt));
  const quiet = Math.floor((now.getTime() - lastTouch) / DAY);
  if (quiet >= NO_CONTACT_DAYS) hints.push({ code: 'noRecentContact', message: `No contact in ${quiet} days — schedule a call.` });
  if (typeof deal.closeDate === 'string' && deal.closeDate < getZonedToday(context.timeZone, now)) hints.push({ code: 'closeDatePassed', message: 'The close date has passed — move it or close the deal.' });
  if (deal.amount === null || deal.amount === undefined) hints.push({ code: 'noAmount', message: 'No amount yet — add one so the deal counts in the forecast.' });
  if (Array.isArray(deal.contacts) && deal.contacts.length === 0) hints.push({ code: 'noContactPerson', message: 'No contact person — link the buyer.' });
  if (Array.isArray(deal.stalledReasons) && deal.stalledReasons.includes('longInStage')) {
    const days = Math.floor((now.getTime() - Date.parse(String(deal.stageEnteredAt ?? deal.createdAt))) / DAY);
    hints.push({ code: 'longInStage', message: `In “${context.stageName ?? 'this stage'}” for ${days} days — plan the next step.` });
  }
  if (deal.forecastCategory === 'commit' && context.winProbability !== undefined && context.winProbability < 0.3) {
    hints.push({ code: 'committedButUnlikely', message: `Committed, but deals like it were won ${Math.round(context.winProbability * 100)}% of the time — review it.` });
  }
  return hints;
};

/** A deal's win probability and hints, for a caller who may read it (404 otherwise, like the record). */
export const readDealInsights = async (context: ReadContext, id: string): Promise<DealInsights> => {
  const { db, workspace } = context;
  const visible = context.access.view.objects.get('opportunity')!;
  const wanted = ['id', 'stage', 'amount', 'closeDate', 'contacts', 'stalledReasons', 'stageEnteredAt', 'lastActivityAt', 'forecastCategory'].filter((name) => name === 'id' || visible.fieldsByName.has(name));
  const deal = await getRecord(context, { id, fields: wanted });
  const stage = typeof deal.stage === 'string' ? (await readStagesById(db, workspace, [deal.stage])).get(deal.stage) : undefined;
  const winProbability = await predictDealWin(db, workspace, id);
  const isOpen = !stage || stage.kind === 'open';
  return {
    winProbability,
    hints: dealHints(deal, { stageName: stage?.name ?? null, isOpen, winProbability: winProbability.status === 'trained' ? winProbability.probability : undefined, timeZone: workspace.timezone }),
  };
};
