import { defineConfig } from 'vitest/config';

const browserJourneys = 'tests/e2e/**/*.test.ts';

// Shared by both projects. The global setup stays in the root config alone: a project that extends it would
// build the templates and start a PostgreSQL cluster of its own.
const common = {
  // Forks, not threads: each PGlite instance holds its own WASM heap and is safer in a process of its own.
  pool: 'forks',
  testTimeout: 30_000,
  // Hooks create databases (a PGlite copy or CREATE DATABASE ... TEMPLATE).
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    globalSetup: ['tests/setup/global-setup.ts'],
    projects: [
      {
        test: {
          ...common,
          name: 'server',
          include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', browserJourneys],
          // The CI machine has two cores; more workers only fight over them.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...common,
          name: 'browser',
          include: [browserJourneys],
          // A journey drives a server and a Chromium at once. Run after the rest and one at a time, its timings are
          // the user's, not those of whatever else the run is doing.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
