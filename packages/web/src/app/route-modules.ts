// The code of screens loaded on first use (app/router.tsx), kept here so that the shell can load the everyday ones
// ahead of time without importing the router.

export const loadRecordTablePage = () => import('../features/object-record/table/record-table-page.tsx');

/**
 * Once the shell is on screen and the browser is idle: the code of an object's list (table, then board), the screen
 * opened most, so that opening it from the navigation waits for data, not for code. The first paint is not delayed.
 */
export const prefetchEverydayScreens = () => {
  const load = () =>
    void loadRecordTablePage()
      .then((module) => module.preloadKanbanBoard())
      .catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
};
