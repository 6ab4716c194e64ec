import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Initech', name: 'Joanna Lumbergh', email: 'joanna@initech.test', password: 'flair on every suspender' };

interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number | null;
  kind: string;
  requiredFields: string[] | null;
}
interface Pipeline {
  id: string;
  name: string;
  position: number;
  isActive: boolean;
}

// Settings › Pipelines: a new pipeline with its stages, put in order, a stage's required fields, and a stage deals
// are in, which the API keeps out of the trash until its deals move.
describe.skipIf(!hasChromium())('pipeline settings (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let renewalsId: string;
  const pageErrors: string[] = [];

  const pipelines = async () => (await json<{ data: Pipeline[] }>(call('GET', '/records/pipeline?sort=position'))).data;
  const stagesOf = async (pipelineId: string) =>
    (await json<{ data: Stage[] }>(call('GET', `/records/pipelineStage?sort=position&filter=${encodeURIComponent(JSON.stringify({ field: 'pipeline', op: 'eq', value: pipelineId }))}`))).data;

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?pipeline-settings-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-pipeline-settings-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const stageListOf = (name: string) => page.getByRole('list', { name: `Stages of ${name}` });
  const stageList = () => stageListOf('Renewals');
  const stage = (position: number, name: string) => stageList().getByRole('listitem', { name: `Stage ${position}: ${name}`, exact: true });
  const save = async () => {
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Pipeline “Renewals” saved').last().waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
  };

  it('should create the pipeline "Renewals" from the settings navigation and give it three stages', async () => {
    await page.goto('/settings/workspace');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Pipelines' }).click();
    await expectTitle(page, 'Pipelines');
    await page.getByRole('list', { name: 'Pipelines' }).getByRole('link', { name: 'New business' }).waitFor();
    await stageListOf('New business').getByRole('listitem').first().waitFor();

    await page.getByRole('button', { name: 'New pipeline' }).click();
    const dialog = page.getByRole('dialog', { name: 'New pipeline' });
    await dialog.getByLabel('Name').fill('Renewals');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Pipeline “Renewals” created').waitFor();
    await page.waitForURL(/\/settings\/pipelines\/[0-9a-f-]{36}$/);
    renewalsId = page.url().split('/').at(-1)!;
    await page.getByText('No stages yet').waitFor();

    for (const [index, [name, probability]] of ([['Due', '20'], ['Quoted', '60'], ['Renewed', '']] as const).entries()) {
      await page.getByRole('button', { name: 'Add stage' }).click();
      const item = stage(index + 1, '(no name)');
      await item.getByLabel('Stage name').fill(name);
      if (probability) await stage(index + 1, name).getByLabel('Probability (%)').fill(probability);
    }
    await stage(3, 'Renewed').getByLabel('Kind').click();
    await page.getByRole('option', { name: 'Won', exact: true }).click();
    // A won stage is certain and closed.
    await expect.poll(() => stage(3, 'Renewed').getByLabel('Probability (%)').inputValue()).toBe('100');
    await expect.poll(() => stage(3, 'Renewed').getByLabel('Forecast category').inputValue()).toBe('Closed');
    await expect(page.getByText('Unsaved changes').isVisible()).resolves.toBe(true);
    await save();

    expect((await stagesOf(renewalsId)).map((each) => [each.name, each.position, each.probability, each.kind])).toEqual([
      ['Due', 1, 20, 'open'],
      ['Quoted', 2, 60, 'open'],
      ['Renewed', 3, 100, 'won'],
    ]);
    await screenshot(page, 'pipeline-settings-01-created');
    await expectAccessible(page, 'pipeline settings with a new pipeline');
  });

  it('should reorder the stages with the keyboard and the pipelines by dragging, and switch a pipeline off', async () => {
    // Keyboard: Quoted picked up with Space, moved up one place, dropped with Space.
    const handle = stage(2, 'Quoted').getByRole('button', { name: 'Move Quoted', exact: true });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => handle.getAttribute('aria-pressed')).toBe('true');
    // dnd-kit measures the places to drop on in the frames after the pick-up: an arrow before that moves nothing.
    await page.waitForTimeout(300);
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(400);
    await page.keyboard.press('Space');
    await stage(1, 'Quoted').waitFor();
    await stage(2, 'Due').waitFor();
    await save();
    expect((await stagesOf(renewalsId)).map((each) => [each.name, each.position])).toEqual([
      ['Quoted', 1],
      ['Due', 2],
      ['Renewed', 3],
    ]);

    // Pointer: Renewals dragged by its handle above New business; saved at once.
    const list = page.getByRole('list', { name: 'Pipelines' });
    await list.scrollIntoViewIfNeeded();
    const from = (await list.getByRole('button', { name: 'Move Renewals', exact: true }).boundingBox())!;
    const to = (await list.getByRole('button', { name: 'Move New business', exact: true }).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 15 });
    await page.mouse.up();
    await page.getByText('Order of the pipelines saved').waitFor();
    await expect.poll(async () => (await pipelines()).map((each) => each.name)).toEqual(['Renewals', 'New business']);
    expect(await list.getByRole('listitem').first().textContent()).toContain('Renewals');

    // The active switch: off, then on again.
    await list.getByRole('switch', { name: '“Renewals” is active' }).click({ force: true });
    await page.getByText('“Renewals” takes no new deals').waitFor();
    await list.getByText('Inactive').waitFor();
    await expect.poll(async () => (await pipelines()).find((each) => each.name === 'Renewals')?.isActive).toBe(false);
    await list.getByRole('switch', { name: '“Renewals” is active' }).click({ force: true });
    await expect.poll(async () => (await pipelines()).find((each) => each.name === 'Renewals')?.isActive).toBe(true);
    await expectAccessible(page, 'pipeline settings after reordering');
  });

  it('should set the fields required to enter a stage and show a refused name at its field', async () => {
    const quoted = stage(1, 'Quoted');
    await quoted.getByLabel('Required to enter').click();
    await page.getByRole('option', { name: 'Amount', exact: true }).click();
    await page.getByRole('option', { name: 'Close date', exact: true }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'pipeline-settings-02-required');
    await save();
    const saved = (await stagesOf(renewalsId)).find((each) => each.name === 'Quoted')!;
    expect([...(saved.requiredFields ?? [])].sort()).toEqual(['amount', 'closeDate']);

    // The name of a stage is required: the server's message shows at the field.
    await stage(2, 'Due').getByLabel('Stage name').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await stage(2, '(no name)').getByText('Name is required.').waitFor();
    await expectAccessible(page, 'a stage refused at its field');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await stage(2, 'Due').waitFor();
  });

  it('should keep a stage deals are in out of the trash, say so, and move its deals before deleting it', async () => {
    const stages = await stagesOf(renewalsId);
    const due = stages.find((each) => each.name === 'Due')!;
    const quoted = stages.find((each) => each.name === 'Quoted')!;
    const deal = await json<{ id: string }>(call('POST', '/records/opportunity', { name: 'Initech yearly renewal', stage: due.id, amount: { amount: 12_000, currency: 'EUR' }, closeDate: '2027-01-31' }), 201);

    await stage(2, 'Due').getByRole('button', { name: 'Remove Due' }).click();
    await expect.poll(() => stageList().getByRole('listitem').count()).toBe(2);
    await page.getByRole('button', { name: 'Save changes' }).click();
    const refusal = stage(2, 'Due').getByRole('alert');
    await refusal.getByText('The stage “Due” was not deleted: deals are in it (1). Move them to another stage first.').waitFor();
    expect((await stagesOf(renewalsId)).map((each) => each.name)).toEqual(['Quoted', 'Due', 'Renewed']);
    // The whole screen in one picture: a taller window, from the top.
    await page.setViewportSize({ width: 1440, height: 1640 });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await screenshot(page, 'pipeline-settings-03-stage-in-use');
    await page.setViewportSize({ width: 1440, height: 1000 });
    await expectAccessible(page, 'a stage refused because deals are in it');

    await expect.poll(() => refusal.getByLabel('Move its deals to').inputValue()).toBe('Quoted');
    await refusal.getByRole('button', { name: 'Move deals and delete stage' }).click();
    await page.getByText('Deals moved to “Quoted”: 1. The stage “Due” is deleted.').waitFor();
    await expect.poll(() => stageList().getByRole('listitem').count()).toBe(2);
    expect((await stagesOf(renewalsId)).map((each) => each.name)).toEqual(['Quoted', 'Renewed']);
    expect((await json<{ stage: string }>(call('GET', `/records/opportunity/${deal.id}`))).stage).toBe(quoted.id);
    await expectAccessible(page, 'pipeline settings after moving the deals');
  });

  it('should refuse to delete a pipeline deals are in, saying why, and delete one without deals', async () => {
    await page.getByRole('button', { name: 'Delete pipeline' }).click();
    const refused = page.getByRole('dialog', { name: 'Delete the pipeline “Renewals”?' });
    await refused.getByRole('button', { name: 'Delete', exact: true }).click();
    await refused.getByRole('alert').getByText('Deals are in this pipeline, so it cannot be deleted.', { exact: false }).waitFor();
    await expectAccessible(page, 'a refused pipeline delete');
    await refused.getByRole('button', { name: 'Cancel' }).click();
    expect((await pipelines()).map((each) => each.name)).toEqual(['Renewals', 'New business']);

    const legacy = await json<{ id: string }>(call('POST', '/records/pipeline', { name: 'Legacy', position: 3 }), 201);
    await page.goto(`/settings/pipelines/${legacy.id}`);
    await page.getByRole('heading', { level: 2, name: 'Legacy' }).waitFor();
    await page.getByRole('button', { name: 'Delete pipeline' }).click();
    await page.getByRole('dialog', { name: 'Delete the pipeline “Legacy”?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Pipeline “Legacy” deleted').waitFor();
    await page.waitForURL((url) => url.pathname === '/settings/pipelines');
    await page.getByRole('heading', { level: 2, name: 'Renewals' }).waitFor();
    expect((await pipelines()).map((each) => each.name)).toEqual(['Renewals', 'New business']);
    expect(pageErrors).toEqual([]);
  });
});
