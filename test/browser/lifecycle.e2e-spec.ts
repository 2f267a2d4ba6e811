import { randomBytes } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { AgentProcess } from '../support/agent-process';
import { launchBrowser, newPage, screenshot } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { createImage, startOnlineHost } from '../support/vm-world';

const GUEST_PASSWORD = 'guest-password-1';

/**
 * The whole story in Debian's Chromium against the real server, Redis, MongoDB and a sim agent: an
 * administrator sets up a tenant, its user creates a VM through the wizard, uses its serial console,
 * runs into the quota, and deletes the VM again. Screenshots of each main page go to test-results/screenshots.
 */
describe('web client: from a new tenant to a VM console and back', () => {
  let t: TestApp;
  let browser: Browser;
  let agent: AgentProcess;
  let image: { name: string };
  const slug = `acme-${randomBytes(3).toString('hex')}`;
  const owner = { email: `owner@${slug}.test`, password: 'owner-password-1' };

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ PORT: String(await findFreePort()), OPENHVX_HEARTBEAT_INTERVAL: '1' }), launchBrowser()]);
    ({ agent } = await startOnlineHost(t, { actionDelayMs: 20 }));
    image = await createImage(t);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.kill('SIGKILL');
    await t?.close();
  });

  /** A link of the area's navigation (pages have links of the same names). */
  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function signIn(page: Page, fields: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  }

  it('an administrator creates a tenant with a quota and its first user, and sees the platform', async () => {
    const { context, page } = await newPage(browser, t.url);
    await page.goto('/admin/login');
    await signIn(page, { Email: ADMIN_EMAIL, Password: ADMIN_PASSWORD });
    await screenshot(page, 'admin-dashboard');

    await nav(page, 'Tenants').click();
    await page.getByRole('button', { name: 'New tenant' }).click();
    await page.getByLabel('Slug', { exact: true }).fill(slug);
    await page.getByLabel('Name', { exact: true }).fill('Acme Corp');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();

    await page.getByLabel('vCPU limit').fill('2');
    await page.getByLabel('Memory limit (MiB)').fill('4096');
    await page.getByLabel('Storage limit (GiB)').fill('60');
    await page.getByLabel('VM limit').fill('2');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('0 used · 0 held · 2 limit').first().waitFor();

    const addUser = page.getByRole('form', { name: 'Add user' });
    await addUser.getByLabel('Email', { exact: true }).fill(owner.email);
    await addUser.getByLabel('Password', { exact: true }).fill(owner.password);
    await addUser.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'owner' }).click();
    await addUser.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('table', { name: 'Users' }).getByText(owner.email).waitFor();
    await screenshot(page, 'admin-tenant-detail');

    for (const [link, heading, name] of [
      ['Tenants', 'Tenants', 'admin-tenants'],
      ['Hosts', 'Hosts', 'admin-hosts'],
      ['Images', 'Images', 'admin-images'],
      ['VMs', 'Virtual machines', 'admin-vms'],
      ['Unmanaged VMs', 'Unmanaged VMs', 'admin-unmanaged-vms'],
      ['Tasks', 'Tasks', 'admin-tasks'],
      ['Audit log', 'Audit log', 'admin-audit'],
    ]) {
      await nav(page, link).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await screenshot(page, name);
    }
    await context.close();
  });

  it('the tenant user creates a VM in the wizard, logs in on its console, meets the quota, and deletes it', async () => {
    const { context, page } = await newPage(browser, t.url);
    await page.goto('/login');
    await signIn(page, { Tenant: slug, Email: owner.email, Password: owner.password });
    await screenshot(page, 'tenant-dashboard');

    await nav(page, 'VMs').click();
    await page.getByRole('button', { name: 'Create VM' }).click();
    await page.getByRole('heading', { name: 'New virtual machine' }).waitFor();
    await page.getByRole('combobox', { name: 'Image' }).click();
    await page.getByRole('option', { name: image.name }).click();
    await page.getByLabel('Name', { exact: true }).fill('web-01');
    await page.getByRole('radio', { name: /^Small/ }).click();
    await page.getByLabel('Hostname').fill('web-01');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password', { exact: true }).fill(GUEST_PASSWORD);
    await screenshot(page, 'tenant-vm-wizard');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    // The VM's page follows the creation task to the end, and its end is announced.
    await page.getByRole('heading', { name: 'web-01' }).waitFor();
    await page.locator('app-state-chip').filter({ hasText: /^\s*running\s*$/ }).first().waitFor({ timeout: 30_000 });
    await page.getByText('Create VM web-01 succeeded').waitFor();
    await screenshot(page, 'tenant-vm-detail');

    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    const screen = page.locator('.xterm');
    await screen.click();
    const terminalText = () => page.locator('.xterm-rows').innerText();
    const waitForTerminal = async (pattern: RegExp) => {
      const deadline = Date.now() + 15_000;
      while (!pattern.test(await terminalText())) {
        if (Date.now() > deadline) throw new Error(`the console never showed ${pattern}; it shows:\n${await terminalText()}`);
        await page.waitForTimeout(100);
      }
    };
    await page.keyboard.press('Enter');
    await waitForTerminal(/web-01 login:/);
    await page.keyboard.type('alice');
    await page.keyboard.press('Enter');
    await waitForTerminal(/Password:/);
    await page.keyboard.type(GUEST_PASSWORD);
    await page.keyboard.press('Enter');
    await waitForTerminal(/alice@web-01:~\$/);
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await waitForTerminal(/hostname\s+web-01\s+alice@web-01/);
    expect(await terminalText()).not.toContain(GUEST_PASSWORD);
    await screenshot(page, 'tenant-vm-console');

    // Two more Small VMs do not fit a 2-vCPU quota: the form says so before anything is sent.
    await nav(page, 'VMs').click();
    await page.getByRole('button', { name: 'Create VM' }).click();
    await page.getByRole('radio', { name: 'Custom' }).click();
    await page.getByLabel('vCPU', { exact: true }).fill('2');
    const violation = page.getByRole('alert').filter({ hasText: 'vCPU' });
    await violation.waitFor();
    expect(await violation.innerText()).toContain('vCPU: 2 requested, 1 of 2 used');
    expect(await page.getByRole('button', { name: 'Create', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'tenant-quota-violation');

    // Deleting the VM gives its share of the quota back.
    await nav(page, 'VMs').click();
    await page.getByRole('link', { name: 'web-01' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('web-01');
    await page.getByRole('button', { name: 'Delete VM' }).click();
    await page.getByRole('heading', { name: 'Virtual machines' }).waitFor();
    await page.getByRole('link', { name: 'web-01', exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await nav(page, 'Dashboard').click();
    await page.getByText('0 used · 0 held · 2 limit').first().waitFor();
    await screenshot(page, 'tenant-dashboard-after-delete');

    for (const [link, heading, name] of [
      ['Tasks', 'Tasks', 'tenant-tasks'],
      ['API tokens', 'API tokens', 'tenant-api-tokens'],
      ['Users', 'Users', 'tenant-users'],
    ]) {
      await nav(page, link).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await screenshot(page, name);
    }
    // The theme switch goes system → light → dark, whatever the system prefers.
    await page.getByRole('button', { name: 'Theme: system' }).click();
    await page.getByRole('button', { name: 'Theme: light' }).click();
    await page.getByRole('button', { name: 'Theme: dark' }).waitFor();
    expect(await page.evaluate('document.documentElement.classList.contains("theme-dark")')).toBe(true);
    await nav(page, 'Dashboard').click();
    await screenshot(page, 'tenant-dashboard-dark');
    await context.close();
  }, 120_000);
});
