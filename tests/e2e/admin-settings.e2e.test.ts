import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linkTokenOf, startTestMailbox, type TestMailbox } from '../support/smtp.ts';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { expectAccessible, expectTitle, screenshot } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { totpCode } from './support/totp.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found.`);
}

const admin = { workspace: 'Globex', name: 'Hank Scorpio', email: 'hank@globex.test', password: 'volcano lair with a hammock' };
const invitee = { name: 'Homer Simpson', email: 'homer@globex.test', password: 'donuts are a food group', newPassword: 'plant sector seven g safety' };

// An administrator's afternoon in Settings, and the invited colleague's first steps, in two browsers.
describe.skipIf(!hasChromium())('settings and account journeys (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let mailbox: TestMailbox;
  let browser: Browser;
  let adminContext: BrowserContext;
  let inviteeContext: BrowserContext;
  let page: Page;
  let inviteePage: Page;
  let adminToken: string;
  const pageErrors: string[] = [];

  const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  /** Picks `option` in the Mantine select labelled `label`, as a person would. */
  const choose = async (on: Page, label: string, option: string) => {
    await on.getByRole('dialog').getByLabel(new RegExp(`^${label}`)).click();
    await on.getByRole('option', { name: option, exact: true }).click();
  };

  /** The message Mantine shows under the field labelled `label` (its `<id>-error` element). */
  const fieldError = async (on: Page, label: string) => {
    const id = await on.getByLabel(label).first().getAttribute('id');
    const error = on.locator(`[id="${id}-error"]`);
    await error.waitFor();
    return (await error.textContent()) ?? '';
  };

  beforeAll(async () => {
    ensureWebBuild();
    mailbox = await startTestMailbox();
    [app, browser] = await Promise.all([startE2eServer({ RAPPORT_SMTP_URL: mailbox.url }), launchChromium()]);
    const signUp = await fetch(`${app.url}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceName: admin.workspace, name: admin.name, email: admin.email, password: admin.password }),
    });
    expect(signUp.status).toBe(201);
    adminToken = ((await signUp.json()) as { token: string }).token;
    const options = { baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' as const };
    adminContext = await browser.newContext(options);
    inviteeContext = await browser.newContext(options);
    page = await adminContext.newPage();
    inviteePage = await inviteeContext.newPage();
    for (const each of [page, inviteePage]) {
      each.setDefaultTimeout(20_000);
      each.on('pageerror', (error) => pageErrors.push(error.message));
    }
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const name = task.name.slice(0, 50).replace(/\W+/g, '-');
      await screenshot(page, `failed-settings-admin-${name}`).catch(() => undefined);
      await screenshot(inviteePage, `failed-settings-invitee-${name}`).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await adminContext?.close();
    await inviteeContext?.close();
    await browser?.close();
    await app?.stop();
    await mailbox?.close();
  });

  it('should offer a password reset link on sign-in, and sign the admin in', async () => {
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expectTitle(page, 'Reset your password');
    await screenshot(page, 'settings-01-forgot-password');
    await expectAccessible(page, 'forgot password');
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await expectTitle(page, 'Sign in to Rapport');

    await page.getByLabel('Email').fill(admin.email);
    await page.locator('input[type="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);
  });

  it('should invite a user from Settings, showing the API errors next to the fields', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await expectTitle(page, 'Users');
    await page.getByRole('cell', { name: admin.email }).waitFor();

    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Email').fill('not-an-email');
    await dialog.getByLabel('Full name').fill(invitee.name);
    await choose(page, 'Role', 'Sales rep');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const email = dialog.getByLabel('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'settings-02-invite-error');
    await expectAccessible(page, 'invite dialog');

    await email.fill(invitee.email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: invitee.email });
    await row.getByText('Invited').waitFor();
    await expect(row.getByRole('cell', { name: 'Sales rep' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'settings-03-users');
    await expectAccessible(page, 'users');
  });

  it('should let the invitee accept the invitation from the email and be signed in', async () => {
    const mail = await mailbox.takeMailTo(invitee.email);
    const token = linkTokenOf(mail);
    expect(mail.text).toContain(`${app.url}/accept-invitation?token=`);

    await inviteePage.goto(`/accept-invitation?token=${encodeURIComponent(token)}`);
    await expectTitle(inviteePage, 'Join your team');
    await inviteePage.getByLabel('Choose a password').fill('short');
    await inviteePage.getByRole('button', { name: 'Accept and sign in' }).click();
    expect(await fieldError(inviteePage, 'Choose a password')).toMatch(/10 characters/);
    const password = inviteePage.getByLabel('Choose a password');
    await screenshot(inviteePage, 'settings-04-accept-invitation');
    await expectAccessible(inviteePage, 'accept invitation');

    await password.fill(invitee.password);
    await inviteePage.getByRole('button', { name: 'Accept and sign in' }).click();
    await expectTitle(inviteePage, `Welcome, ${invitee.name}`);
    // Not an administrator: no Settings entry, and /settings leads home.
    await expect(inviteePage.getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);

    await page.reload();
    await page.getByRole('row').filter({ hasText: invitee.email }).getByText('Active').waitFor();
  });

  it('should hide a field from the user once the admin gives them a role that hides it', async () => {
    // Owned by the invitee, so their Sales rep role (own records) sees it.
    const members = (await call('/users')).body.data as { id: string; email: string }[];
    const inviteeId = members.find((member) => member.email === invitee.email)!.id;
    const person = await call('/records/person', { method: 'POST', body: { firstName: 'Frank', lastName: 'Grimes', jobTitle: 'Nuclear safety inspector', owner: inviteeId } });
    expect(person.status).toBe(201);

    // Before: the user's role shows the job title.
    await inviteePage.goto(`/objects/person/${String(person.body.id)}`);
    await expectTitle(inviteePage, 'Frank Grimes');
    await inviteePage.getByText('Nuclear safety inspector').waitFor();

    // The admin makes a role that reads and writes everything, but does not see job titles.
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Roles' }).click();
    await expectTitle(page, 'Roles');
    await page.getByRole('row').filter({ hasText: 'Sales rep' }).waitFor();
    await expectAccessible(page, 'roles');
    await page.getByRole('button', { name: 'New role' }).click();
    await page.getByRole('dialog', { name: 'Create a role' }).getByLabel('Role name').fill('Field agent');
    await page.getByRole('dialog', { name: 'Create a role' }).getByRole('button', { name: 'Create role' }).click();
    await expectTitle(page, 'Role: Field agent');
    await expect(page.getByRole('checkbox', { name: 'Read permission on All other objects' }).isChecked()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: 'Update permission on All other objects' }).check();
    await page.getByRole('checkbox', { name: 'Create permission on People' }).check();
    await page.getByRole('combobox', { name: 'Record access' }).click();
    await page.getByRole('option', { name: 'All records' }).click();
    await page.getByRole('combobox', { name: 'Object', exact: true }).click();
    await page.getByRole('option', { name: 'People', exact: true }).click();
    await page.getByRole('row', { name: /Job title/ }).getByText('Hidden', { exact: true }).click();
    await screenshot(page, 'settings-05-role-editor');
    await expectAccessible(page, 'role editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Role Field agent saved.').waitFor();
    const saved = (await call('/roles')).body.data as { name: string; fields: unknown; recordAccess: string; permissions: Record<string, unknown> }[];
    const agent = saved.find((each) => each.name === 'Field agent')!;
    expect(agent.fields).toEqual({ person: { jobTitle: 'hidden' } });
    expect(agent.recordAccess).toBe('all');
    expect(agent.permissions.person).toMatchObject({ create: true, read: true });

    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users' }).click();
    await expectTitle(page, 'Users');
    const row = page.getByRole('row').filter({ hasText: invitee.email });
    await row.getByRole('button', { name: `Edit ${invitee.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${invitee.name}` });
    await choose(page, 'Role', 'Field agent');
    await screenshot(page, 'settings-05b-edit-user');
    await expectAccessible(page, 'edit user');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByRole('cell', { name: 'Field agent' }).waitFor();

    await inviteePage.reload();
    await expectTitle(inviteePage, 'Frank Grimes');
    await inviteePage.getByText('Last name').first().waitFor();
    await expect(inviteePage.getByText('Nuclear safety inspector').count()).resolves.toBe(0);
    await expect(inviteePage.getByText('Job title', { exact: true }).count()).resolves.toBe(0);
    await screenshot(inviteePage, 'settings-06-hidden-field');
  });

  it('should create an API key, show its token once, and revoke it', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
    await expectTitle(page, 'API keys');
    await page.getByText('No API keys yet').waitFor();
    await expectAccessible(page, 'API keys, empty');

    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Key name').fill('Zapier');
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await dialog.getByText('Copy the key now').waitFor();
    const token = ((await dialog.getByLabel('API key token').textContent()) ?? '').trim();
    expect(token).toMatch(/^rap_/);
    await expect(dialog.getByRole('button', { name: 'Copy key' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'settings-07-api-key-token');
    await expectAccessible(page, 'API key token');
    expect((await call('/records/person', { token })).status).toBe(200);

    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Zapier' });
    await row.getByText('read:*').waitFor();
    await row.getByText('Never').waitFor();
    await row.getByRole('button', { name: 'Revoke Zapier' }).click();
    await page.getByRole('dialog', { name: 'Revoke Zapier?' }).getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    await screenshot(page, 'settings-08-api-keys');
    await expectAccessible(page, 'API keys');
    expect((await call('/records/person', { token })).status).toBe(401);
  });

  it('should show the events in the audit log, newest first, filtered by action', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await expectTitle(page, 'Audit log');
    const body = page.getByRole('table').locator('tbody');
    await body.getByText('user.invited').waitFor();
    await body.getByText('role.created').waitFor();
    await screenshot(page, 'settings-09-audit');
    await expectAccessible(page, 'audit log');

    await page.getByLabel('Action').fill('apikey.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => body.getByRole('row').count()).toBe(2);
    const actions = await body.getByRole('row').locator('code').allTextContents();
    expect(actions).toEqual(['apikey.revoked', 'apikey.created']);
    const exportLink = page.getByRole('link', { name: 'Export JSON lines' });
    expect(await exportLink.getAttribute('href')).toBe('/api/v1/audit/export?action=apikey.');
  });

  it('should let the user turn on two-factor authentication and change their password on the Security page', async () => {
    await inviteePage.getByRole('button', { name: `Account of ${invitee.name}` }).click();
    await inviteePage.getByRole('menuitem', { name: 'Security' }).click();
    await expectTitle(inviteePage, 'Security');
    await expectAccessible(inviteePage, 'security');

    await inviteePage.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const qr = inviteePage.getByRole('img', { name: 'QR code to add Rapport to an authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const secret = (await inviteePage.locator('[data-secret]').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await screenshot(inviteePage, 'settings-10-totp-enrol');
    await expectAccessible(inviteePage, 'TOTP enrolment');

    await inviteePage.getByLabel('Authentication code').fill('000000');
    await inviteePage.getByRole('button', { name: 'Verify and turn on' }).click();
    await inviteePage.getByText('This code is not valid').waitFor();
    await inviteePage.getByLabel('Authentication code').fill(totpCode(secret));
    await inviteePage.getByRole('button', { name: 'Verify and turn on' }).click();
    const codes = inviteePage.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    await screenshot(inviteePage, 'settings-11-recovery-codes');
    await inviteePage.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await inviteePage.getByText('on', { exact: true }).waitFor();

    await inviteePage.getByLabel('Current password').fill('not my password');
    await inviteePage.getByLabel('New password').fill(invitee.newPassword);
    await inviteePage.getByRole('button', { name: 'Change password' }).click();
    expect(await fieldError(inviteePage, 'Current password')).not.toBe('');
    await inviteePage.getByLabel('Current password').fill(invitee.password);
    await inviteePage.getByRole('button', { name: 'Change password' }).click();
    await inviteePage.getByText('Password changed.').waitFor();
    await screenshot(inviteePage, 'settings-12-security');
  });

  it('should reset a forgotten password through the emailed link', async () => {
    await inviteePage.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expectTitle(inviteePage, 'Sign in to Rapport');
    await inviteePage.getByRole('link', { name: 'Forgot password?' }).click();
    await expectTitle(inviteePage, 'Reset your password');
    await inviteePage.getByLabel('Email').fill(invitee.email);
    await inviteePage.getByRole('button', { name: 'Send the link' }).click();
    await inviteePage.getByText(`If an account exists for ${invitee.email}`).waitFor();

    const mail = await mailbox.takeMailTo(invitee.email);
    await inviteePage.goto(`/reset-password?token=${encodeURIComponent(linkTokenOf(mail))}`);
    await expectTitle(inviteePage, 'Choose a new password');
    await expectAccessible(inviteePage, 'reset password');
    await inviteePage.getByLabel('New password').fill('brand new reactor password');
    await inviteePage.getByRole('button', { name: 'Set the password' }).click();
    await inviteePage.getByText('Your password has been changed.').waitFor();
    await screenshot(inviteePage, 'settings-13-reset-done');
    expect(pageErrors).toEqual([]);
  });
});
