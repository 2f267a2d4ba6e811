import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

/** The server hands the built web client out at `/`, deep links included, without shadowing the API. */
describe('web client serving', () => {
  let t: TestApp;

  beforeAll(async () => {
    const webDir = tempDir('web');
    mkdirSync(join(webDir, 'media'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>OpenHVX</title><app-root></app-root>');
    writeFileSync(join(webDir, 'main-ABCD1234.js'), 'console.log("app")');
    writeFileSync(join(webDir, 'favicon.ico'), 'icon');
    t = await startTestApp({ OPENHVX_WEB_DIR: webDir });
  });
  afterAll(() => t.close());

  it('answers deep links with index.html, never cached', async () => {
    for (const path of ['/', '/vms/0123456789abcdef01234567', '/admin/tenants']) {
      const response = await t.http.get(path).set('Accept', 'text/html').expect(200);
      expect(response.text).toContain('<app-root>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed files as immutable and other files revalidated', async () => {
    const script = await t.http.get('/main-ABCD1234.js').expect(200);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await t.http.get('/favicon.ico').expect(200)).headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API, its docs and missing files alone', async () => {
    const missing = await t.http.get('/api/v1/nothing-here').set('Accept', 'text/html').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404 });
    await t.http.get('/api/health/live').expect(200);
    await t.http.get('/api/openapi.json').expect(200);
    // A file that is not there and a request that does not want HTML are not the app.
    await t.http.get('/missing.js').set('Accept', 'application/javascript').expect(404);
    await t.http.post('/vms').set('Accept', 'text/html').expect(404);
  });

  it('sends a content security policy that keeps scripts to the server and does not force HTTPS', async () => {
    const csp = (await t.http.get('/').set('Accept', 'text/html')).headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
