import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { notifyManager, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { isApiError } from '../api/client.ts';
import { startFontSize } from '../features/account/font-size.ts';
import { SessionProvider } from '../features/auth/session.tsx';
import { router } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

// An answer reaches the screen in the task that received it: query notifications run as a microtask, not a
// `setTimeout(0)` each (which on a busy page waits behind frames and other tasks, twice per answer).
notifyManager.setScheduler(queueMicrotask);

// The font size chosen in Account › Preferences is set on <html> before the first render (no jump), and
// follows a choice made in another tab.
startFontSize();

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again.
      retry: (failureCount, error) => failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

export const App = () => (
  <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
    <Notifications position="top-right" />
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  </MantineProvider>
);
