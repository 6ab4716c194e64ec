#!/usr/bin/env node
// Bundles the CLI and the server (TypeScript sources of packages/cli, server and common) into one
// JavaScript file, packages/cli/dist/rapport.mjs; dependencies stay in node_modules. Run by the root
// `prepare` script at `npm install`, and by bin/rapport.js when a source is newer than the bundle.
// Why: under tsx every module, a dependency's too, goes through a loader hook in another thread; a
// start spent about a second there. Tests and the bench keep running the sources.
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

// Packages of node_modules load from there at run time; the workspace's own packages (and JSON data
// files, which Node imports only with an import attribute) are bundled.
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@rapport/') || args.path.endsWith('.json') ? undefined : { path: args.path, external: true },
    );
  },
};

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
    plugins: [externalDependencies, keepImportMetaPaths],
  });
  const inputs = Object.keys(result.metafile.inputs).map(toPosix);
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
