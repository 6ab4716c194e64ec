import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Northwind', name: 'Mary Jackson', email: 'mary@northwind.test', password: 'wind tunnel at langley' };

type Sandbox = { id: string; name: string; workspaceId: string; data: string; sampleSize: number; lastDeployedAt: string | null };
type Deployment = { id: string; status: string; source: { kind: string } };
type FieldList = { fields: { name: string }[] };

// Settings › Sandboxes: a sandbox with sample data, a field added there, compared with production,
// deployed, removed again by applying an older configuration file, and both deployments rolled back.
describe.skipIf(!hasChromium())('sandboxes and configuration deployments (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let sandbox: Sandbox;
  let olderConfiguration: string;
  const people: Record<string, string> = {};
  const pageErrors: string[] = [];

  const productionFields = async () => (await json<FieldList>(call('GET', '/metadata/objects/person'))).fields.map((field) => field.name);
  // The browser's own session (its cookie): whichever workspace the page is in.
  const pageFields = async () => ((await (await page.request.get('/api/v1/metadata/objects/person')).json()) as FieldList).fields.map((field) => field.name);
  const banner = () => page.getByRole('region', { name: 'Sandbox workspace' });

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?sandboxes-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    for (const [firstName, lastName] of [['Dorothy', 'Vaughan'], ['Katherine', 'Johnson'], ['Christine', 'Darden']] as const) {
      people[lastName] = (await json<{ id: string }>(call('POST', '/records/person', { firstName, lastName, email: `${firstName.toLowerCase()}@northwind.test` }), 201)).id;
    }
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-sandboxes-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should download the configuration and create a sandbox with sample data', async () => {
    await page.goto('/settings/sandboxes');
    await expectTitle(page, 'Sandboxes');
    await page.getByText('No sandboxes').waitFor();
    await page.getByText('Nothing has been deployed to this workspace yet.').waitFor();

    // The configuration as it is now, kept to apply later.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download configuration' }).click()]);
    expect(download.suggestedFilename()).toBe('rapport-configuration.yaml');
    olderConfiguration = readFileSync((await download.path())!, 'utf8');
    expect(olderConfiguration).toMatch(/^format: rapport\.configuration$/m);
    expect(olderConfiguration).not.toContain('loyaltyTier');

    await page.getByRole('button', { name: 'New sandbox' }).click();
    const dialog = page.getByRole('dialog', { name: 'New sandbox' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Loyalty trial');
    await dialog.getByRole('radio', { name: 'With sample data' }).check();
    await dialog.getByRole('textbox', { name: 'Records per object' }).fill('2');
    await screenshot(page, 'sandboxes-01-new-sandbox');
    await expectAccessible(page, 'new sandbox dialog');
    await dialog.getByRole('button', { name: 'Create sandbox' }).click();
    await page.getByText('Sandbox “Loyalty trial” created').waitFor();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /Loyalty trial/ });
    await row.getByText('Sample: 2 records per object').waitFor();
    await row.getByText('Never').waitFor();
    const { data } = await json<{ data: Sandbox[] }>(call('GET', '/sandboxes'));
    expect(data).toHaveLength(1);
    sandbox = data[0]!;
    expect(sandbox).toMatchObject({ name: 'Loyalty trial', data: 'sample', sampleSize: 2, lastDeployedAt: null });
    await screenshot(page, 'sandboxes-02-list');
    await expectAccessible(page, 'sandboxes list');
  });

  it('should open the sandbox with its banner and its sample of records', async () => {
    await page.getByRole('button', { name: 'Open Loyalty trial' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);
    await banner().getByText('Sandbox “Loyalty trial” of Northwind').waitFor();
    await screenshot(page, 'sandboxes-03-in-sandbox');
    await expectAccessible(page, 'home in a sandbox');

    // Two people per object were copied.
    const copied = (await (await page.request.get('/api/v1/records/person?limit=50')).json()) as { data: { lastName: string }[] };
    expect(copied.data).toHaveLength(2);
    for (const person of copied.data) expect(['Vaughan', 'Johnson', 'Darden']).toContain(person.lastName);
  });

  it('should add a field in the sandbox with the objects designer, production unchanged', async () => {
    await page.goto('/settings/objects/person');
    await expectTitle(page, 'People');
    await banner().waitFor();
    await page.getByRole('button', { name: 'Add field' }).click();
    const dialog = page.getByRole('dialog', { name: 'New field' });
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Loyalty tier');
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'loyaltyTier', exact: true }).waitFor();

    expect(await pageFields()).toContain('loyaltyTier');
    expect(await productionFields()).not.toContain('loyaltyTier');
  });

  it('should go back to production and compare: the field the sandbox added', async () => {
    await banner().getByRole('button', { name: 'Back to production' }).click();
    await expectTitle(page, 'Compare “Loyalty trial” with production');
    await expect(banner().count()).resolves.toBe(0);
    const fields = page.getByRole('table', { name: /Fields/ });
    const added = fields.locator('[data-change="add:person.loyaltyTier"]');
    await added.getByText('Added').waitFor();
    await added.getByText('person.loyaltyTier').waitFor();
    await page.getByRole('status').getByText(/^\d+ changes?/).waitFor();
    await screenshot(page, 'sandboxes-04-compare');
    await expectAccessible(page, 'compare with production');
  });

  it('should deploy the sandbox: the field exists in production', async () => {
    await page.getByRole('button', { name: 'Deploy to production' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy “Loyalty trial”' });
    await dialog.locator('[data-change="add:person.loyaltyTier"]').waitFor();
    await screenshot(page, 'sandboxes-05-deploy-preview');
    await expectAccessible(page, 'deploy preview');

    // Production changes while the preview is open: the deployment is refused, nothing changes.
    await json(call('POST', '/metadata/objects/person/fields', { name: 'internalCode', type: 'text', label: 'Internal code' }), 201);
    await dialog.getByRole('button', { name: /^Deploy \d+ changes?$/ }).click();
    await dialog.getByText('The configuration changed since this preview. Compare again, then deploy.').waitFor();
    expect(await productionFields()).not.toContain('loyaltyTier');
    // Taken away again, production is as previewed.
    expect((await call('DELETE', '/metadata/objects/person/fields/internalCode')).status).toBe(204);
    await dialog.getByRole('button', { name: 'Compare again' }).click();
    await dialog.getByRole('button', { name: /^Deploy \d+ changes?$/ }).click();
    await dialog.getByText('Deployed', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });

    expect(await productionFields()).toContain('loyaltyTier');
    // Nothing left to deploy.
    await page.getByText('No differences: the target already has this configuration.').waitFor();
    const { data } = await json<{ data: Sandbox[] }>(call('GET', '/sandboxes'));
    expect(data[0]!.lastDeployedAt).not.toBeNull();
    await json(call('PATCH', `/records/person/${people.Vaughan}`, { loyaltyTier: 'Gold' }));
  });

  it('should apply the older configuration file: a removal, flagged before it is deployed', async () => {
    await page.getByRole('link', { name: 'All sandboxes' }).click();
    await expectTitle(page, 'Sandboxes');
    await page.getByRole('row', { name: /Loyalty trial/ }).getByText('Never').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Apply a configuration file' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply a configuration file' });
    const fileInput = dialog.locator('input[type="file"]');
    // Not a configuration: the problems, and nothing to deploy.
    await fileInput.setInputFiles({ name: 'notes.yaml', mimeType: 'application/yaml', buffer: Buffer.from('format: shopping.list\nversion: 1\n') });
    await dialog.getByRole('alert').getByText('This file is not a valid configuration').waitFor();
    await expect(dialog.getByRole('button', { name: /^Deploy/ }).isDisabled()).resolves.toBe(true);
    await fileInput.setInputFiles({ name: 'rapport-configuration.yaml', mimeType: 'application/yaml', buffer: Buffer.from(olderConfiguration) });
    const removed = dialog.locator('[data-change="remove:person.loyaltyTier"]');
    await removed.getByText('Removed').waitFor();
    await removed.getByText('Its data moves to the trash (recoverable for 30 days).').waitFor();
    await dialog.getByText(/changes? removes? data/).waitFor();
    await screenshot(page, 'sandboxes-06-apply-file');
    await expectAccessible(page, 'apply a configuration file');
    await dialog.getByRole('button', { name: /^Deploy \d+ changes?$/ }).click();
    await dialog.getByText('Deployed', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    expect(await productionFields()).not.toContain('loyaltyTier');
  });

  it('should roll back the file, then the sandbox deployment', async () => {
    const history = page.getByRole('table', { name: 'Deployments' });
    await history.getByRole('row', { name: /Configuration file/ }).getByText('Applied').waitFor();
    await history.getByRole('row', { name: /Sandbox “Loyalty trial”/ }).getByText('Applied').waitFor();
    await screenshot(page, 'sandboxes-07-history');
    await expectAccessible(page, 'deployment history');

    // Only the latest applied deployment offers "Roll back".
    await expect(history.getByRole('button', { name: 'Roll back' }).count()).resolves.toBe(1);
    await history.getByRole('row', { name: /Configuration file/ }).getByRole('button', { name: 'Roll back' }).click();
    let dialog = page.getByRole('dialog', { name: /Roll back the deployment/ });
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.getByText('Deployment rolled back').first().waitFor();
    await history.getByRole('row', { name: /Configuration file/ }).getByText('Rolled back').waitFor();
    // The removed field came back from the trash with its value.
    expect(await productionFields()).toContain('loyaltyTier');
    expect((await json<{ loyaltyTier: string | null }>(call('GET', `/records/person/${people.Vaughan}`))).loyaltyTier).toBe('Gold');

    await history.getByRole('row', { name: /Sandbox “Loyalty trial”/ }).getByRole('button', { name: 'Roll back' }).click();
    dialog = page.getByRole('dialog', { name: /Roll back the deployment/ });
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await history.getByRole('row', { name: /Sandbox “Loyalty trial”/ }).getByText('Rolled back').waitFor();
    expect(await productionFields()).not.toContain('loyaltyTier');
    const deployments = await json<{ data: Deployment[] }>(call('GET', '/configuration/deployments'));
    expect(deployments.data.map((deployment) => [deployment.source.kind, deployment.status])).toEqual([
      ['file', 'rolledBack'],
      ['sandbox', 'rolledBack'],
    ]);
    await expect(history.getByRole('button', { name: 'Roll back' }).count()).resolves.toBe(0);
  });

  it('should delete the sandbox', async () => {
    await page.getByRole('button', { name: 'Delete Loyalty trial' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the sandbox “Loyalty trial”?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No sandboxes').waitFor();
    expect((await json<{ data: Sandbox[] }>(call('GET', '/sandboxes'))).data).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
