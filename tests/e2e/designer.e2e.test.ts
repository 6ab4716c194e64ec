import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { expectAccessible, expectTitle, screenshot } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';
import { unzip } from '../support/unzip.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found.`);
}

const admin = { workspace: 'Fleetwood', name: 'Fran Fleet', email: 'fran@fleetwood.test', password: 'seven vans and a bicycle' };
// A tiny 2×2 PNG.
const LOGO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR42mPgZmD4z8DAwMDEwMDAAAAhYAIBeyYzhQAAAABJRU5ErkJggg==', 'base64');

// An administrator designs a "Vehicle" object, lays out its record page and brands the workspace.
describe.skipIf(!hasChromium())('objects designer, layouts and workspace branding (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  let recordUrl: string;
  const pageErrors: string[] = [];

  const call = async (path: string) => {
    const response = await fetch(`${app.url}/api/v1${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    return (await response.json()) as Record<string, any>;
  };

  /** Picks `option` in the Mantine select labelled `label` inside `scope`. */
  const choose = async (scope: ReturnType<Page['getByRole']>, label: string | RegExp, option: string) => {
    await scope.getByLabel(label).first().click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    ensureWebBuild();
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    const signUp = await fetch(`${app.url}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceName: admin.workspace, name: admin.name, email: admin.email, password: admin.password }),
    });
    expect(signUp.status).toBe(201);
    adminToken = ((await signUp.json()) as { token: string }).token;
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(page, `failed-designer-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should list standard objects and create a custom object', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(admin.email);
    await page.locator('input[type="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);

    await page.goto('/settings/objects');
    await expectTitle(page, 'Objects and fields');
    await page.getByRole('main').getByRole('link', { name: 'Companies', exact: true }).waitFor();
    await screenshot(page, 'designer-01-objects');
    await expectAccessible(page, 'objects list');

    await page.getByRole('button', { name: 'New object' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a custom object' });
    await dialog.getByLabel('Label (one record)').fill('Vehicle');
    await dialog.getByLabel('Label (several records)').fill('Vehicles');
    await expect(dialog.getByLabel('API name').inputValue()).resolves.toBe('vehicle');
    await choose(dialog, 'Icon', 'Car');
    await screenshot(page, 'designer-02-create-object');
    await expectAccessible(page, 'create object dialog');
    await dialog.getByRole('button', { name: 'New object' }).click();

    await expectTitle(page, 'Vehicles');
    const vehicle = await call('/metadata/objects/vehicle');
    expect(vehicle).toMatchObject({ name: 'vehicle', labelPlural: 'Vehicles', icon: 'car', labelField: 'name' });
  });

  it('should add a text field, a select with coloured choices and a formula checked live', async () => {
    await page.getByRole('button', { name: 'Add field' }).click();
    let dialog = page.getByRole('dialog', { name: 'New field' });
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Plate');
    await dialog.getByLabel('Unique').check();
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'plate', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add field' }).click();
    dialog = page.getByRole('dialog', { name: 'New field' });
    await choose(dialog, 'Field type', 'Single choice');
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Fuel');
    // Saving without choices shows the platform's message next to the choices.
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.getByRole('group', { name: 'Choices' }).getByRole('alert').waitFor();
    await dialog.getByRole('button', { name: 'Add choice' }).click();
    await dialog.getByLabel('Choice 1', { exact: true }).fill('Diesel');
    await choose(dialog, 'Colour 1', 'Grey');
    await dialog.getByRole('button', { name: 'Add choice' }).click();
    await dialog.getByLabel('Choice 2', { exact: true }).fill('Electric');
    await choose(dialog, 'Colour 2', 'Green');
    await dialog.getByRole('button', { name: 'Add choice' }).click();
    await dialog.getByLabel('Choice 3', { exact: true }).fill('Hybrid');
    await dialog.getByRole('button', { name: 'Move Hybrid up' }).click();
    await expect(dialog.getByLabel('Choice 2', { exact: true }).inputValue()).resolves.toBe('Hybrid');
    await screenshot(page, 'designer-03-select-field');
    await expectAccessible(page, 'select field dialog');
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Add field' }).click();
    dialog = page.getByRole('dialog', { name: 'New field' });
    await choose(dialog, 'Field type', 'Formula');
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Plate length');
    const expression = dialog.getByRole('textbox', { name: 'Formula' });
    await expression.fill('size(record.plate) +');
    // The server's type checker answers while typing: the error and where it is.
    await expect.poll(() => expression.getAttribute('aria-invalid')).toBe('true');
    const errorId = `${await expression.getAttribute('id')}-error`;
    const errorText = () => dialog.locator(`[id="${errorId}"]`).textContent();
    await expect.poll(errorText).toMatch(/(column|character) \d+/);
    await screenshot(page, 'designer-04-formula-error');
    await expectAccessible(page, 'formula with an error');
    await expression.fill('record.plate * 2');
    await expect.poll(errorText).toMatch(/\*|string|overload|found/i);
    await expression.fill('size(record.plate)');
    await dialog.getByText('The expression is valid; it gives Number.').waitFor();
    await screenshot(page, 'designer-05-formula-valid');
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const fields = (await call('/metadata/objects/vehicle')).fields as { name: string; type: string; options?: Record<string, unknown>; unique?: boolean }[];
    expect(fields.find((field) => field.name === 'plate')).toMatchObject({ type: 'text', unique: true });
    expect(fields.find((field) => field.name === 'fuel')?.options?.choices).toEqual([
      { value: 'diesel', label: 'Diesel', color: 'gray' },
      { value: 'hybrid', label: 'Hybrid', color: expect.any(String) },
      { value: 'electric', label: 'Electric', color: 'green' },
    ]);
    expect(fields.find((field) => field.name === 'plateLength')).toMatchObject({ type: 'formula', options: { expression: 'size(record.plate)', resultType: 'number' } });
    await screenshot(page, 'designer-06-object-fields');
    await expectAccessible(page, 'object fields');
  });

  it('should create a record of the new object from its table', async () => {
    await page.getByRole('link', { name: 'Open records' }).click();
    await expectTitle(page, 'Vehicles');
    await page.getByRole('link', { name: 'New Vehicle' }).first().click();
    await expectTitle(page, 'New Vehicle');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Van 7');
    await page.getByLabel('Plate', { exact: true }).fill('AB-123-CD');
    await page.getByLabel('Fuel', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Electric' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expectTitle(page, 'Van 7');
    recordUrl = new URL(page.url()).pathname;
    await page.getByText('AB-123-CD').waitFor();
    await page.getByText('9', { exact: true }).waitFor();
    await screenshot(page, 'designer-07-record-default-layout');
  });

  it('should add validation rules checked live, reorder them, and a form refuses a record breaking them with their messages', async () => {
    await page.goto('/settings/objects/vehicle');
    await expectTitle(page, 'Vehicles');
    const section = page.getByRole('region', { name: 'Validation rules' });
    await section.getByText('No validation rules yet.', { exact: false }).waitFor();
    await section.getByRole('button', { name: 'Add rule' }).click();
    let dialog = page.getByRole('dialog', { name: 'New validation rule' });
    // Saving an empty rule says what is missing, next to each input.
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText('Write the message shown when the condition is false.').waitFor();
    const condition = dialog.getByRole('textbox', { name: 'Condition' });
    // The server's type checker answers while typing: a text compared with a number is refused.
    await condition.fill('record.plate >= 5');
    await expect.poll(() => condition.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    await condition.fill('size(record.plate) >= 5');
    await dialog.getByText('The expression is valid', { exact: false }).waitFor();
    await dialog.getByRole('textbox', { name: 'Message' }).fill('A plate has at least 5 characters.');
    await choose(dialog, 'Show the message next to', 'Plate');
    await screenshot(page, 'designer-07a-validation-rule');
    await expectAccessible(page, 'validation rule dialog');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await section.getByRole('cell', { name: 'A plate has at least 5 characters.' }).waitFor();

    // A rule about two fields shows its message above the form.
    await section.getByRole('button', { name: 'Add rule' }).click();
    dialog = page.getByRole('dialog', { name: 'New validation rule' });
    await dialog.getByRole('textbox', { name: 'Condition' }).fill('record.name != record.plate');
    await dialog.getByText('The expression is valid', { exact: false }).waitFor();
    await dialog.getByRole('textbox', { name: 'Message' }).fill('The name cannot be the plate.');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await section.getByRole('cell', { name: 'The name cannot be the plate.' }).waitFor();
    await section.getByRole('button', { name: 'Move rule 2 up' }).click();
    // Focus follows the moved rule (to its other arrow, the first row having no "up").
    const focusedLabel = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'));
    await expect.poll(focusedLabel, { timeout: 10_000 }).toBe('Move rule 1 down');
    await expect.poll(async () => ((await call('/metadata/objects/vehicle')).validationRules as { message: string }[]).map((rule) => rule.message), { timeout: 10_000 }).toEqual([
      'The name cannot be the plate.',
      'A plate has at least 5 characters.',
    ]);
    expect((await call('/metadata/objects/vehicle')).validationRules[1]).toEqual({ expression: 'size(record.plate) >= 5', message: 'A plate has at least 5 characters.', field: 'plate' });
    await section.locator('[data-rule="1"]').getByText('Above the form').waitFor();
    // Deleting asks nothing but offers an Undo that puts the rule back where it was.
    await section.getByRole('button', { name: 'Delete rule 1' }).click();
    await page.getByText('Validation rule 1 was deleted.').waitFor();
    await section.locator('[data-rule="2"]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Validation rule 1 is back.').waitFor();
    await section.locator('[data-rule="1"]').getByText('Above the form').waitFor();
    expect(((await call('/metadata/objects/vehicle')).validationRules as { message: string }[]).map((rule) => rule.message)).toEqual([
      'The name cannot be the plate.',
      'A plate has at least 5 characters.',
    ]);
    await screenshot(page, 'designer-07b-validation-rules');
    await expectAccessible(page, 'validation rules');

    // The form shows each refused rule's message: next to Plate, and above the form.
    await page.goto('/objects/vehicle/new');
    await expectTitle(page, 'New Vehicle');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('AB1');
    const plate = page.getByLabel('Plate', { exact: true });
    await plate.fill('AB1');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The name cannot be the plate.' }).waitFor();
    await expect.poll(() => plate.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    await page.getByText('A plate has at least 5 characters.').waitFor();
    await screenshot(page, 'designer-07c-form-refused-by-rules');
    await expectAccessible(page, 'form refused by validation rules');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Van 8');
    await plate.fill('AB-124-CD');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expectTitle(page, 'Van 8');
  });

  it('should edit the layout with the keyboard alternative and by dragging, and the record page follows it', async () => {
    await page.goto('/settings/objects/vehicle/layout');
    await expectTitle(page, 'Page layout: Vehicle');
    await page.getByLabel('Section 1 title').fill('Identity');
    await page.getByRole('button', { name: 'Add section' }).click();
    await page.getByLabel('Section 2 title').fill('Technical');
    // One column, chosen before the drag below (a click at once after a drop may be taken for the drop's own).
    await page.getByRole('radiogroup', { name: 'Columns of section 2' }).getByText('One column').click();
    // Keyboard and menu: Fuel goes to Technical.
    await page.getByRole('button', { name: 'Move Fuel' }).click();
    await page.getByRole('menuitem', { name: 'Technical' }).click();
    await page.locator('[data-layout-section="Technical"] [data-layout-field="fuel"]').waitFor();
    // Pointer: drag Plate length by its handle into Technical.
    const handle = page.getByRole('button', { name: 'Drag Plate length' });
    const target = page.locator('[data-layout-section="Technical"] [data-layout-field="fuel"]');
    const from = (await handle.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y + 20, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height - 4, { steps: 15 });
    await page.mouse.up();
    await page.locator('[data-layout-section="Technical"] [data-layout-field="plateLength"]').waitFor();
    await screenshot(page, 'designer-08-layout-editor');
    await expectAccessible(page, 'layout editor');
    await page.getByRole('button', { name: 'Save layout' }).click();
    await page.getByText('The layout was saved: record pages and forms follow it.').waitFor();

    const layout = await call('/metadata/objects/vehicle/layout');
    expect(layout.sections).toEqual([
      { title: 'Identity', columns: 2, fields: ['name', 'plate'] },
      { title: 'Technical', columns: 1, fields: expect.arrayContaining(['fuel', 'plateLength']) },
    ]);

    await page.goto(recordUrl);
    await expectTitle(page, 'Van 7');
    const technical = page.getByRole('region', { name: 'Technical' });
    await technical.getByText('Fuel').waitFor();
    await expect(technical.getByText('Plate length').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('region', { name: 'Identity' }).getByText('AB-123-CD').isVisible()).resolves.toBe(true);
    await screenshot(page, 'designer-09-record-with-layout');
    await expectAccessible(page, 'record page with layout');
  });

  it('should brand the workspace: logo and colour in the app shell', async () => {
    await page.goto('/settings/workspace');
    await expectTitle(page, 'Workspace');
    await page.locator('input[type="file"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: LOGO_PNG });
    await page.getByRole('img', { name: 'Logo preview' }).waitFor();
    await page.getByLabel('Primary colour').first().fill('#0b7285');
    await page.getByLabel('Default currency').first().click();
    await page.getByRole('option', { name: 'USD', exact: true }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The workspace settings were saved.').waitFor();

    const settings = await call('/workspace');
    expect(settings).toMatchObject({ primaryColor: '#0b7285', defaultCurrency: 'USD', logo: expect.stringMatching(/^data:image\/png;base64,/) });
    await page.locator('header img[data-workspace-logo="true"]').waitFor();
    // The test runs in Node (no DOM types): the page's globals are reached through globalThis.
    const filled = await page.evaluate(() => {
      const browser = globalThis as unknown as { getComputedStyle(element: unknown): { getPropertyValue(name: string): string }; document: { documentElement: unknown } };
      return browser.getComputedStyle(browser.document.documentElement).getPropertyValue('--mantine-primary-color-filled').trim();
    });
    expect(filled).toBe('#0b7285');
    await screenshot(page, 'designer-10-workspace');
    await expectAccessible(page, 'workspace settings');

    await page.getByRole('button', { name: /dark|theme/i }).first().click();
    await screenshot(page, 'designer-11-workspace-dark');
    expect(pageErrors).toEqual([]);
  });

  it('should download the whole workspace as one archive', async () => {
    await page.goto('/settings/workspace');
    await expectTitle(page, 'Workspace');
    const link = page.getByRole('link', { name: 'Download the archive' });
    await link.scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-12-workspace-export');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await unzip(readFileSync(await download.path()));
    const manifest = JSON.parse(files.get('manifest.json')!) as { format: string; objects: { name: string; file: string; records: number }[] };
    expect(manifest.format).toBe('rapport.workspace-export');
    // The custom object made earlier in this journey is in the archive, with its record.
    const vehicles = manifest.objects.find((object) => object.name === 'vehicle');
    expect(vehicles?.records).toBeGreaterThan(0);
    expect(files.get(vehicles!.file)!.trim().split('\n')).toHaveLength(vehicles!.records);
    expect(pageErrors).toEqual([]);
  });
});
