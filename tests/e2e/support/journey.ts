import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
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

/** `fetch` of the API (`/api/v1` + `path`) as the signed-up administrator, or as `token`. */
export type ApiCall = (method: string, path: string, body?: unknown, token?: string) => Promise<Response>;

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** Signs up the first administrator of a fresh server, with their workspace: their token, and the API as them. */
export const signUpAdmin = async (app: { url: string }, admin: Person & { workspaceName: string }): Promise<{ token: string; call: ApiCall }> => {
  const { workspaceName, name, email, password } = admin;
  const { token } = await json<{ token: string }>(
    fetch(`${app.url}/api/v1/auth/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceName, email, name, password }) }),
    201,
  );
  const call: ApiCall = (method, path, body, as = token) =>
    fetch(`${app.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${as}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { token, call };
};

/** A new page of `context`, signed in as `who` through the form once the home screen welcomes them; its script errors land in `pageErrors`. */
export const signInPage = async (context: BrowserContext, who: Person, pageErrors: string[], { timeout = 20_000 } = {}): Promise<Page> => {
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectTitle(page, `Welcome, ${who.name}`);
  return page;
};
