import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installAppLinks } from './app/app-links.ts';
import { App, queryClient } from './app/app.tsx';
import { router } from './app/router.tsx';
import { startSessionResume } from './features/auth/session.tsx';
import { prefetchShell } from './features/shell/prefetch-shell.ts';
import { i18nReady } from './i18n/i18n.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';

// Who is signed in and the interface's texts load side by side, and the app renders once both are known
// (a failed language load still renders, in English). Signed in, the shell's data is asked for at once and
// the first render waits for the navigation's answers (index.html shows a loading line meanwhile).
const session = startSessionResume().then(
  (me) => prefetchShell(queryClient, me),
  () => undefined,
);
const root = createRoot(document.getElementById('root')!);
const render = () =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
void Promise.all([i18nReady.catch(() => undefined), session]).then(render);

installAppLinks((to) => void router.navigate(to));
registerServiceWorker();
