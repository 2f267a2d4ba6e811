import { bearer } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

describe('HTTP platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OPENHVX_BODY_LIMIT: '2kb' });
  });
  afterAll(() => t.close());

  it('answers malformed JSON with 400 MALFORMED_JSON and a correlation id', async () => {
    const { body, headers } = await t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).set('Content-Type', 'application/json').send('{"slug":').expect(400);
    expect(body).toEqual({ statusCode: 400, code: 'MALFORMED_JSON', message: 'Request body is not valid JSON', correlationId: headers['x-request-id'] });
  });

  it('answers an oversized body with 413', async () => {
    const { body } = await t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).send({ slug: 'big', name: 'x'.repeat(5_000) }).expect(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const { body } = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', correlationId: expect.any(String) });
  });

  it("keeps the caller's sane X-Request-Id and replaces an unsafe one", async () => {
    const kept = await t.http.get('/api/health/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http.get('/api/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and hides the framework', async () => {
    const { headers } = await t.http.get('/api/health/live').expect(200);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['strict-transport-security']).toBeDefined();
    expect(headers['x-powered-by']).toBeUndefined();
  });

  it('serves liveness and readiness', async () => {
    expect((await t.http.get('/api/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const { body } = await t.http.get('/api/health/ready').expect(200);
    expect(body.details).toEqual({ mongodb: { status: 'up' }, redis: { status: 'up' } });
  });

  it('exports request durations by route pattern and status for Prometheus', async () => {
    await t.http.get('/api/v1/admin/tenants/0123456789abcdef01234567').set(bearer(t.admin.accessToken)).expect(404);
    await t.http.get('/api/v1/nothing-here').expect(404);
    const { text, headers } = await t.http.get('/metrics').expect(200);
    expect(headers['content-type']).toContain('text/plain');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/api/v1/admin/tenants/:id",status_code="404"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('serves the OpenAPI UI and document', async () => {
    const ui = await t.http.get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    const { body } = await t.http.get('/api/openapi.json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('never answers 500 for odd but harmless input', async () => {
    const odd = [
      t.http.get('/api/v1/admin/tenants?limit=abc').set(bearer(t.admin.accessToken)),
      t.http.get('/api/v1/admin/tenants?q[$ne]=x').set(bearer(t.admin.accessToken)),
      t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).send([1, 2]),
      t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).set('Content-Type', 'application/json').send('null'),
      t.http.post('/api/v1/auth/admin/login').send({ email: { $gt: '' }, password: { $gt: '' } }),
      t.http.get('/api/v1/admin/tenants/%E0%A4%A').set(bearer(t.admin.accessToken)),
      t.http.get('/api/v1/me').set('Authorization', 'Bearer'),
      t.http.get('/api/v1/me').set('Authorization', 'Basic abc'),
    ];
    for (const response of await Promise.all(odd)) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.code).toEqual(expect.any(String));
    }
  });

  it('answers 401 without a token on every route the OpenAPI document marks as secured, and only on those', async () => {
    const { body: document } = await t.http.get('/api/openapi.json').expect(200);
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      const url = path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567');
      for (const [method, operation] of Object.entries(operations)) {
        const response = await t.http[method as 'get'](url).send({});
        if (operation.security?.length) {
          expect([`${method} ${path}`, response.status, response.body.code]).toEqual([`${method} ${path}`, 401, 'UNAUTHENTICATED']);
        } else {
          expect([`${method} ${path}`, response.status]).not.toEqual([`${method} ${path}`, 401]);
        }
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(24);
  });
});
