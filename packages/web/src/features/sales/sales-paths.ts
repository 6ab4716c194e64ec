/** The sales screens' addresses; the scope (`?period=…&pipeline=…&team=…&rep=…`) follows from one to the other. */
export const salesPaths = {
  dashboard: () => '/sales',
  forecast: () => '/sales/forecast',
  leaderboard: () => '/sales/leaderboard',
};

/** The part of the address the sales screens share (their scope), to carry it when switching screens. */
export const carriedScope = (search: string): string => {
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const key of ['period', 'pipeline', 'team', 'rep']) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  const text = kept.toString();
  return text ? `?${text}` : '';
};
