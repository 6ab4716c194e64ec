import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { findSeriousViolations } from './axe.ts';

/** Screenshots of the main screens land here (git-ignored) for people to look at. */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../output/screenshots');

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
};

/** No serious or critical axe-core violation on the screen as it is now. */
export const expectAccessible = async (page: Page, screen: string) => {
  const violations = await findSeriousViolations(page);
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
};

/** Waits until the screen's title (the h1 every screen has) reads `text`. */
export const expectTitle = async (page: Page, text: string | RegExp) => {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ state: 'visible' });
};

/**
 * A journey starts by removing its own pictures (the names it writes match `names`), so none is left
 * from an earlier run; the other journeys' pictures in the shared folder stay.
 */
export const clearScreenshots = (names: RegExp) => {
  if (!existsSync(SCREENSHOT_DIR)) return;
  for (const file of readdirSync(SCREENSHOT_DIR)) if (names.test(file)) rmSync(join(SCREENSHOT_DIR, file), { force: true });
};

// The test code runs in Node (no DOM types); these read the page's document in the browser.
type BrowserGlobals = { document: { documentElement: { lang: string; dataset: Record<string, string | undefined> } } };

/** The `lang` of the page's <html>: the interface language. */
export const documentLanguage = (page: Page) => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.lang);

/** Mantine's colour scheme of the page: `light` or `dark`. */
export const colorScheme = (page: Page) => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.dataset.mantineColorScheme);

/** The JSON body of an API answer, after checking its status (the body is shown when it differs). */
export const json = async <T>(response: Promise<Response>, status = 200): Promise<T> => {
  const answer = await response;
  const body = (await answer.json()) as T;
  expect(answer.status, JSON.stringify(body)).toBe(status);
  return body;
};
