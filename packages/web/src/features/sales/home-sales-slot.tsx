import { lazy, Suspense } from 'react';
import { useCanReadDeals } from './use-can-read-deals.ts';

// The summary's code (KPI cards, leaderboard) loads after the home screen's first paint, and only for those who read deals.
const HomeSalesSummary = lazy(async () => ({ default: (await import('./home-sales-summary.tsx')).HomeSalesSummary }));

/** Where the home screen shows its sales summary. */
export const HomeSalesSlot = () =>
  useCanReadDeals() ? (
    <Suspense fallback={null}>
      <HomeSalesSummary />
    </Suspense>
  ) : null;
