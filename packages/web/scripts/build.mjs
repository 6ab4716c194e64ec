#!/usr/bin/env node
// Builds the web app into packages/web/dist unless the build is newer than every source file.
// Run by the root `prepare` script, so `npm install` (and `npm ci`) leaves a servable app; `--force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(webDir, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', '../common/src'];

const newestMtime = (path) => {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
};

// Text files get a .br and a .gz beside them, made once here: the server sends the one the browser
// accepts (@fastify/static `preCompressed`) instead of compressing on every request.
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt']);
const MIN_BYTES = 1024;
export const precompress = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      precompress(path);
      continue;
    }
    const dot = entry.name.lastIndexOf('.');
    if (dot < 0 || !COMPRESSIBLE.has(entry.name.slice(dot))) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
};

export const isWebBuildFresh = () => {
  if (!existsSync(builtIndex)) return false;
  const builtAt = statSync(builtIndex).mtimeMs;
  return sources.every((source) => newestMtime(join(webDir, source)) <= builtAt);
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const force = process.argv.includes('--force');
  if (!force && process.env.RAPPORT_SKIP_WEB_BUILD === '1') {
    console.log('web app: build skipped (RAPPORT_SKIP_WEB_BUILD=1)');
  } else if (!force && isWebBuildFresh()) {
    console.log('web app: build is up to date (packages/web/dist)');
  } else {
    console.log('web app: building packages/web/dist ...');
    const vite = join(webDir, 'node_modules', '.bin', 'vite');
    const bin = existsSync(vite) ? vite : join(webDir, '..', '..', 'node_modules', '.bin', 'vite');
    // Built aside, then swapped in: a server (or a test run) serving dist never sees half a build.
    const staging = join(webDir, `dist.${process.pid}`);
    // Always a production build: a test runner's NODE_ENV=test would otherwise give React's development runtime.
    const result = spawnSync(bin, ['build', '--mode', 'production', '--logLevel', 'warn', '--outDir', staging, '--emptyOutDir'], {
      cwd: webDir,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      console.error('web app: the build failed; the server shows a notice instead of the app until `npm run build:web` succeeds.');
      // CI must see a broken build; elsewhere an install should not fail for it (someone may be mid-edit).
      process.exit(process.env.CI === 'true' ? (result.status ?? 1) : 0);
    }
    precompress(staging);
    const dist = join(webDir, 'dist');
    const previous = join(webDir, `dist.old.${process.pid}`);
    if (existsSync(dist)) renameSync(dist, previous);
    renameSync(staging, dist);
    rmSync(previous, { recursive: true, force: true });
    console.log('web app: built');
  }
}
