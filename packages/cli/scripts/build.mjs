#!/usr/bin/env node
// Bundles the CLI and the server (TypeScript sources of packages/cli, server and common) with their
// dependencies into one JavaScript file, packages/cli/dist/rapport.mjs. Run by the root `prepare`
// script at `npm install`, and by bin/rapport.js when a source is newer than the bundle.
// Why: under tsx every module, a dependency's too, goes through a loader hook in another thread, and
// Node resolves and reads each of a thousand files of node_modules on its own; a start spent well over
// a second there. Tests and the bench keep running the sources.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(cliDir, '..', '..');
const distDir = join(cliDir, 'dist');
export const bundlePath = join(distDir, 'rapport.mjs');
const inputsPath = join(distDir, 'rapport.inputs.json');

/** True when the bundle exists and no file it was built from changed since. */
export const isBundleFresh = () => {
  const built = statSync(bundlePath, { throwIfNoEntry: false });
  if (!built || !existsSync(inputsPath)) return false;
  const inputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
  return inputs.every((input) => (statSync(join(repoDir, input), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= built.mtimeMs);
};

const toPosix = (path) => path.split(sep).join('/');

// Sources that find files next to themselves keep doing so from the bundle's folder.
const keepImportMetaPaths = {
  name: 'keep-import-meta-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const file = toPosix(relative(distDir, args.path));
      const folder = toPosix(relative(distDir, dirname(args.path)));
      const contents = source
        .replaceAll('import.meta.url', `new URL(${JSON.stringify(file)}, import.meta.url).href`)
        .replaceAll('import.meta.dirname', `__rapportFileURLToPath(new URL(${JSON.stringify(`${folder}/`)}, import.meta.url))`)
        .replace(/^/, "import { fileURLToPath as __rapportFileURLToPath } from 'node:url';\n");
      return { contents, loader: 'ts' };
    });
  },
};

// Packages that stay in node_modules: native code, WebAssembly and data files found next to their own
// modules, worker threads started from a file, and what is loaded only on demand (demo data, mail).
const EXTERNAL = ['@electric-sql/pglite', '@node-rs/argon2', 'pg-native', '@faker-js/faker', 'nodemailer', 'pino', 'thread-stream', 'pino-pretty', '@fastify/static', 'tsx', 'esbuild'];
const external = EXTERNAL.flatMap((name) => [name, `${name}/*`]);
// CommonJS dependencies call require(); an ES module has none of its own.
const banner = "import { createRequire as __rapportCreateRequire } from 'node:module'; const require = __rapportCreateRequire(import.meta.url);";

/** Builds the bundle aside and swaps it in, so a process starting meanwhile never reads half a file. */
export const buildBundle = async () => {
  const { build } = await import('esbuild');
  mkdirSync(distDir, { recursive: true });
  const staging = `${bundlePath}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [join(cliDir, 'src', 'main.ts')],
    outfile: staging,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    absWorkingDir: repoDir,
    metafile: true,
    logLevel: 'warning',
    external,
    banner: { js: banner },
    plugins: [keepImportMetaPaths],
  });
  // Sources decide freshness; dependencies change with the lock file (and `npm install` rebuilds).
  const inputs = [...Object.keys(result.metafile.inputs).map(toPosix).filter((input) => !input.startsWith('node_modules/')), 'package-lock.json'];
  writeFileSync(`${inputsPath}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${inputsPath}.${process.pid}.tmp`, inputsPath);
  renameSync(staging, bundlePath);
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  if (!process.argv.includes('--force') && isBundleFresh()) {
    console.log('cli: bundle is up to date (packages/cli/dist)');
  } else {
    try {
      await buildBundle();
      console.log('cli: bundled into packages/cli/dist/rapport.mjs');
    } catch (error) {
      rmSync(bundlePath, { force: true });
      // The CLI still runs from the TypeScript sources; CI must see the failure.
      console.error(`cli: the bundle could not be built (${error instanceof Error ? error.message : String(error)}); rapport runs from the sources.`);
      process.exit(process.env.CI === 'true' ? 1 : 0);
    }
  }
}
