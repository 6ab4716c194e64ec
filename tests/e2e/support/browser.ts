import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); the tests never download a browser. */
export const CHROMIUM_PATH = process.env.RAPPORT_CHROMIUM ?? '/usr/bin/chromium';

const isCi = process.env.CI === 'true' || process.env.CI === '1';
let warned = false;

/**
 * Whether the browser journeys can run (`describe.skipIf(!hasChromium())`). In CI a missing Chromium fails the
 * run instead: CI runs every journey (.ci/run installs the chromium package). Elsewhere the journeys are skipped,
 * with one warning saying why.
 */
export const hasChromium = (): boolean => {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  if (!warned) console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found. Install it with "apt-get install chromium" (or set RAPPORT_CHROMIUM) to run tests/e2e.`);
  warned = true;
  return false;
};

// Headless and quiet: no GPU, and none of the background connections a closed network refuses.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
