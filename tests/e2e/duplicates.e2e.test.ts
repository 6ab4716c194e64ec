import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Initech', name: 'Bill Lumbergh', email: 'bill@initech.test', password: 'yeah if you could come in on saturday' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

// Duplicates: the create form's warning, the record page's notice, the merge screen, merge and undo.
describe.skipIf(!hasChromium())('duplicates: warn, compare, merge, undo (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  let peter: Rec;
  let pete: Rec;
  let note: Rec;

  const read = (object: string, id: string) => json<Rec>(call('GET', `/records/${object}/${id}`));

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?duplicates-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));

    peter = await json<Rec>(call('POST', '/records/person', { firstName: 'Peter', lastName: 'Gibbons', email: 'peter.gibbons@initech.test' }), 201);
    pete = await json<Rec>(call('POST', '/records/person', { firstName: 'Pete', lastName: 'Gibbons', jobTitle: 'Software engineer', phone: '+1 415 555 0100', email: 'pgibbons@initech.test' }), 201);
    note = await json<Rec>(call('POST', '/records/note', { title: 'TPS reports', person: pete.id }), 201);
    await json(call('POST', '/records/person', { firstName: 'Michael', lastName: 'Bolton', email: 'michael@initech.test' }), 201);

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-duplicates-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should warn in the create form that the person may exist, without blocking the save', async () => {
    await page.goto('/objects/person/new');
    await page.getByLabel('First name', { exact: true }).fill('Michel');
    await page.getByLabel('Last name', { exact: true }).fill('Bolton');
    const notice = page.getByRole('status').filter({ hasText: 'This looks like an existing record' });
    await notice.waitFor();
    await notice.getByRole('link', { name: 'Michael Bolton' }).waitFor();
    await expect.poll(() => notice.getByText('Similar name').count()).toBe(1);
    await page.getByLabel('Email', { exact: true }).fill('Michael@initech.test');
    await notice.getByText('Same email').waitFor();
    await screenshot(page, 'duplicates-01-create-warning');
    await expectAccessible(page, 'create form with a duplicate warning');

    // Not blocking: a different email saves.
    await page.getByLabel('Email', { exact: true }).fill('michel.bolton@elsewhere.test');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectTitle(page, 'Michel Bolton');
  });

  it('should show possible duplicates on the record page and open the merge screen from the keyboard', async () => {
    await page.goto(`/objects/person/${peter.id}`);
    await expectTitle(page, 'Peter Gibbons');
    const notice = page.getByRole('region', { name: /possible duplicate/i });
    await notice.getByRole('link', { name: 'Pete Gibbons', exact: true }).waitFor();
    await screenshot(page, 'duplicates-02-record-notice');
    await expectAccessible(page, 'record page with possible duplicates');

    const compare = notice.getByRole('link', { name: 'Compare and merge with Pete Gibbons' });
    await compare.focus();
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Merge duplicates: Person');
  });

  it('should choose values per field, list what moves, merge, and show the result', async () => {
    // Defaults: Peter's non-empty values, Pete's where Peter has none.
    const peterEmail = page.getByRole('radio', { name: 'Email: keep the value of Peter Gibbons' });
    const peteEmail = page.getByRole('radio', { name: 'Email: keep the value of Pete Gibbons' });
    await expect.poll(() => peterEmail.isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Job title: keep the value of Pete Gibbons' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Phone: keep the value of Pete Gibbons' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Keep Peter Gibbons' }).isChecked()).toBe(true);
    await page.getByText('1 record of Notes (Person)').waitFor();

    // Keyboard: the email's radios form one group; an arrow key moves the choice.
    await peterEmail.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => peteEmail.isChecked()).toBe(true);
    await screenshot(page, 'duplicates-03-merge-screen');
    await expectAccessible(page, 'merge screen');

    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await expectTitle(page, 'Peter Gibbons');
    await page.getByText('Records merged; 1 linked record moved.').waitFor();
    await screenshot(page, 'duplicates-04-merged');

    const kept = await read('person', peter.id);
    expect(kept).toMatchObject({ firstName: 'Peter', email: 'pgibbons@initech.test', jobTitle: 'Software engineer', phone: '+14155550100' });
    expect((await read('note', note.id)).person).toBe(peter.id);
    expect((await call('GET', `/records/person/${pete.id}`)).status).toBe(404);
    await page.getByRole('heading', { name: 'Merged', level: 3 }).waitFor();
  });

  it('should undo the merge from the notification', async () => {
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Merge undone: both records are back.').waitFor();
    await expect.poll(async () => (await call('GET', `/records/person/${pete.id}`)).status).toBe(200);
    expect(await read('person', peter.id)).toMatchObject({ email: 'peter.gibbons@initech.test', jobTitle: null, phone: null });
    expect((await read('note', note.id)).person).toBe(pete.id);
    await page.getByRole('heading', { name: 'Merge undone', level: 3 }).waitFor();
    await screenshot(page, 'duplicates-05-undone');
  });

  it('should list the pairs the scan found, and mark one as not duplicates', async () => {
    await page.goto('/objects/person');
    await expectTitle(page, 'People');
    await page.getByRole('link', { name: 'Duplicates' }).click();
    await expectTitle(page, 'Duplicates: People');
    await page.getByRole('button', { name: 'Scan now' }).click();
    const table = page.getByRole('table', { name: 'Duplicates: People' });
    await table.getByRole('link', { name: 'Pete Gibbons', exact: true }).waitFor();
    await screenshot(page, 'duplicates-06-list');
    await expectAccessible(page, 'duplicates list');

    const michaels = table.getByRole('row').filter({ hasText: 'Michel Bolton' });
    await michaels.getByRole('button', { name: /are not duplicates/ }).click();
    await page.getByText('Marked as not duplicates.').waitFor();
    await expect.poll(() => table.getByRole('row').filter({ hasText: 'Michel Bolton' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Scan now' }).click();
    await page.getByText('Scan done.').first().waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Michel Bolton' }).count()).toBe(0);

    await page.getByRole('button', { name: /dark theme/i }).click();
    await screenshot(page, 'duplicates-07-list-dark');
    await expectAccessible(page, 'duplicates list in the dark theme');
    await page.getByRole('link', { name: 'Merge Peter Gibbons and Pete Gibbons' }).or(page.getByRole('link', { name: 'Merge Pete Gibbons and Peter Gibbons' })).click();
    await expectTitle(page, 'Merge duplicates: Person');
    await screenshot(page, 'duplicates-08-merge-dark');
    await expectAccessible(page, 'merge screen in the dark theme');
    await page.getByRole('button', { name: /light theme/i }).click();
    expect(pageErrors).toEqual([]);
  });
});
