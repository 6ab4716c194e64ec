/**
 * Registers the service worker (public/sw.js: the app shell, never API answers) in builds only: under
 * `vite dev` it would serve stale modules. The build's mode is checked rather than `PROD`, which
 * follows NODE_ENV (a build started from the test runner has NODE_ENV=test and is still a build).
 */
export const registerServiceWorker = () => {
  if (import.meta.env.MODE !== 'production' || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('Service worker not registered', error));
  };
  // After the first screen has loaded: installing caches the shell files, which should not compete with it.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
};
