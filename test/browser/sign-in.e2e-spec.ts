import { Browser } from 'playwright-core';
import { bearer, memberOf, tenantActor } from '../support/actors';
import { launchBrowser, newPage, screenshot } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp, USER_PASSWORD } from '../support/test-app';

/** The built web client, served by the real server, in Debian's Chromium. */
describe('web client: sign-in', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the app at deep links and sends a visitor to the sign-in page of the area', async () => {
    const { context, page } = await newPage(browser, t.url);
    await page.goto('/admin/tenants');
    await page.getByRole('heading', { name: 'Administrator sign-in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.goto('/vms');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByLabel('Tenant').count()).resolves.toBe(1);
    await screenshot(page, 'tenant-sign-in');
    // The API still answers JSON, not the app.
    const api = await page.request.get('/api/v1/me');
    expect(api.status()).toBe(401);
    expect(await api.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    await context.close();
  });

  it('signs an administrator in and out; a wrong password shows the server\'s message', async () => {
    const { context, page } = await newPage(browser, t.url);
    await page.goto('/admin/login');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    await screenshot(page, 'admin-sign-in');

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');
    // A reload keeps the session.
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Administrator sign-in' }).waitFor();
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Administrator sign-in' }).waitFor();
    await context.close();
  });

  it('signs a tenant user in with the tenant slug, and returns to sign-in with a message when the session is revoked', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const member = await memberOf(t.http, t.admin.accessToken, owner, 'member');
    const { context, page } = await newPage(browser, t.url);
    await page.goto('/login');
    await page.getByLabel('Tenant').fill(owner.slug);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    // Removing the user ends the session: the next call is refused, and so is the refresh.
    await t.http.delete(`/api/v1/admin/tenants/${owner.tenantId}/users/${member.userId}`).set(bearer(t.admin.accessToken)).expect(204);
    await page.goto('/tasks');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your session has ended');
    await context.close();
  });
});
