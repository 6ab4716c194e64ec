import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript build script, without type declarations
import { bundlePath, isBundleFresh } from '../../packages/cli/scripts/build.mjs';

const CLI = join(process.cwd(), 'packages/cli/bin/rapport.js');

const run = (env: Record<string, string>) => spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describe('rapport CLI bundle', () => {
  it('should run from a fresh bundle of the sources, as the sources themselves do', () => {
    const fromBundle = run({});
    expect(fromBundle.status).toBe(0);
    // The bin rebuilds a stale bundle before using it.
    expect(isBundleFresh()).toBe(true);
    expect(existsSync(bundlePath)).toBe(true);

    const fromSource = run({ RAPPORT_FROM_SOURCE: '1' });
    expect(fromSource.status).toBe(0);
    expect(fromBundle.stdout).toContain('Usage: npx rapport');
    expect(fromBundle.stdout).toBe(fromSource.stdout);
  });

  it('should keep files that sources read next to themselves reachable from the bundle', () => {
    const bundle = readFileSync(bundlePath, 'utf8');
    // import.meta.url of a bundled source points back to that source's own folder.
    expect(bundle).toContain('new URL("../../server/src/engine/identity/passwords.ts", import.meta.url)');
    expect(bundle).not.toMatch(/resolve\d*\(import\.meta\.dirname/);
  });
});
