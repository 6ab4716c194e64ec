import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['tests/setup/global-setup.ts'],
    // Forks, not threads: each PGlite instance holds its own WASM heap and is safer in a process of its own.
    pool: 'forks',
    // The CI machine has two cores; more workers only fight over them.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Hooks create databases (a PGlite copy or CREATE DATABASE ... TEMPLATE).
    hookTimeout: 120_000,
  },
});
