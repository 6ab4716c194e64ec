import type { QueryClient } from '@tanstack/react-query';
import { objectsQuery, usersQuery, workspaceQuery } from '../../api/queries.ts';
import { meKey, meOf } from '../account/account-api.ts';
import { navigationQuery } from '../object-record/views/navigation-order.tsx';
import { favouritesQuery } from '../object-record/views/views-api.ts';

/** How long the first render waits for the navigation's answers before it renders without them. */
const WAIT_FOR_NAVIGATION_MS = 1_500;

/**
 * Asks for what the shell shows (objects in their order, favourites, the workspace, its users) as soon as the
 * session is known to be signed in, side by side and before the shell renders. `me` is the session's own
 * `GET /users/me` answer. Resolves when the navigation's answers are in (or after a short wait): rendering
 * then, the shell renders once, complete, instead of once empty and again for each answer. These requests are
 * also named in index.html (`rapport:signed-in-preload`): the server preloads them for a browser with a session.
 */
export const prefetchShell = (queryClient: QueryClient, me: unknown): Promise<unknown> => {
  if (me && typeof me === 'object') queryClient.setQueryData(meKey, meOf(me as Record<string, unknown>));
  void queryClient.prefetchQuery(workspaceQuery);
  void queryClient.prefetchQuery(usersQuery);
  const navigation = Promise.all([queryClient.prefetchQuery(objectsQuery), queryClient.prefetchQuery(navigationQuery), queryClient.prefetchQuery(favouritesQuery)]);
  return Promise.race([navigation, new Promise((resolve) => setTimeout(resolve, WAIT_FOR_NAVIGATION_MS))]);
};
