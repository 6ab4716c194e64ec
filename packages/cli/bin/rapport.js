#!/usr/bin/env node
// Runs the bundle that `npm install` builds (scripts/build.mjs), rebuilt first when a source file is
// newer: Node then loads plain JavaScript, without a TypeScript loader between it and every module.
// Without a bundle (no esbuild, or RAPPORT_FROM_SOURCE=1), the TypeScript sources run through tsx.
const loadBundle = async () => {
  if (process.env.RAPPORT_FROM_SOURCE === '1') return undefined;
  try {
    const { buildBundle, bundlePath, isBundleFresh } = await import('../scripts/build.mjs');
    if (!isBundleFresh()) await buildBundle();
    return bundlePath;
  } catch {
    return undefined;
  }
};

const bundle = await loadBundle();
if (bundle) {
  const { pathToFileURL } = await import('node:url');
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
