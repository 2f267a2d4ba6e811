import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { runServer, ServerRun } from '../support/server-process';
import { serviceEnv, tempDir, withDatabase } from '../support/test-app';

/** The built server as its own process: configuration checks, first-boot seeding, the banner, OpenAPI. */
describe('server boot (dist/main.js)', () => {
  const runs: ServerRun[] = [];
  const start = (env: Record<string, string>) => {
    const run = runServer(env);
    runs.push(run);
    return run;
  };
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((run) => run.stop()));
  });

  async function baseEnv(): Promise<Record<string, string>> {
    const { mongoUri, redisUrl } = serviceEnv();
    const id = randomBytes(4).toString('hex');
    return {
      MONGODB_URI: withDatabase(mongoUri, `openhvx_boot_${id}`),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `openhvx-boot-${id}:`,
      OPENHVX_DATA_DIR: tempDir('boot'),
      PORT: String(await findFreePort()),
      LOG_LEVEL: 'warn',
    };
  }

  it.each([
    ['PORT', 'not-a-port'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'postgres://localhost/x'],
    ['OPENHVX_DEMO', 'maybe'],
    ['OPENHVX_ACCESS_TOKEN_TTL', '5'],
    ['OPENHVX_ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses to boot when %s=%s, naming the variable', async (name, value) => {
    const run = start({ ...(await baseEnv()), [name]: value });
    expect(await run.exited()).not.toBe(0);
    expect(run.stderr()).toContain(`${name}:`);
    expect(run.stdout()).not.toContain('OpenHVX ready');
  });

  it('refuses to boot in production without JWT_SECRET', async () => {
    const run = start({ ...(await baseEnv()), NODE_ENV: 'production' });
    expect(await run.exited()).not.toBe(0);
    expect(run.stderr()).toMatch(/JWT_SECRET: is required when NODE_ENV=production/);
  });

  it('boots, seeds the admin and demo tenant once, and prints the logins', async () => {
    const env = await baseEnv();
    const first = start(env);
    await first.waitFor(new RegExp(`OpenHVX ready at http://localhost:${env.PORT}\\n`));
    const generated = first.stdout().match(/admin: +admin@openhvx\.local +password: (\S+)/)?.[1];
    const passwordFile = join(env.OPENHVX_DATA_DIR, 'admin-password');
    expect(generated).toBe(readFileSync(passwordFile, 'utf8').trim());
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const demoPassword = first.stdout().match(/demo: +tenant demo +owner@demo\.local +password: (\S+)/)?.[1];
    expect(demoPassword).toHaveLength(20);
    expect(first.stdout()).toContain('demo hosts: sim-01');
    const manifest = JSON.parse(readFileSync(join(env.OPENHVX_DATA_DIR, 'demo-hosts', 'manifest.json'), 'utf8'));
    expect(manifest).toEqual({ hosts: [{ name: 'sim-01', dataDir: join(env.OPENHVX_DATA_DIR, 'demo-hosts', 'sim-01'), enrollToken: expect.stringMatching(/^ohxe_/) }] });

    const base = `http://127.0.0.1:${env.PORT}`;
    const adminLogin = await fetch(`${base}/api/v1/auth/admin/login`, post({ email: 'admin@openhvx.local', password: generated }));
    expect(adminLogin.status).toBe(200);
    const demoLogin = await fetch(`${base}/api/v1/auth/tenant/login`, post({ tenant: 'demo', email: 'owner@demo.local', password: demoPassword }));
    expect(demoLogin.status).toBe(200);
    await first.stop();

    const second = start(env);
    await second.waitFor(/OpenHVX ready/);
    expect(second.stdout()).toContain(`password: (see ${passwordFile})`);
    expect(second.stdout()).toContain(`password: ${demoPassword}`);
    const again = await fetch(`${base}/api/v1/auth/admin/login`, post({ email: 'admin@openhvx.local', password: generated }));
    expect(again.status).toBe(200);
  });

  it('uses OPENHVX_ADMIN_EMAIL / OPENHVX_ADMIN_PASSWORD and skips the demo with OPENHVX_DEMO=0 and OPENHVX_DEMO_HOSTS=0', async () => {
    const env: Record<string, string> = {
      ...(await baseEnv()),
      OPENHVX_ADMIN_EMAIL: 'ops@example.com',
      OPENHVX_ADMIN_PASSWORD: 'a very long admin password',
      OPENHVX_DEMO: '0',
      OPENHVX_DEMO_HOSTS: '0',
    };
    const run = start(env);
    await run.waitFor(/OpenHVX ready/);
    expect(run.stdout()).not.toContain('demo:');
    expect(run.stdout()).not.toContain('demo hosts:');
    expect(existsSync(join(env.OPENHVX_DATA_DIR, 'admin-password'))).toBe(false);
    const login = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/auth/admin/login`, post({ email: 'ops@example.com', password: 'a very long admin password' }));
    expect(login.status).toBe(200);
  });

  it('publishes an OpenAPI document with every route, its schemas and the bearer scheme', async () => {
    const env = await baseEnv();
    const run = start(env);
    await run.waitFor(/OpenHVX ready/);
    const document = (await (await fetch(`http://127.0.0.1:${env.PORT}/api/openapi.json`)).json()) as OpenApiDocument;
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/api/health/live',
        '/api/health/ready',
        '/metrics',
        '/api/v1/auth/admin/login',
        '/api/v1/auth/tenant/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/logout',
        '/api/v1/me',
        '/api/v1/api-tokens',
        '/api/v1/api-tokens/{id}',
        '/api/v1/admin/tenants',
        '/api/v1/admin/tenants/{id}',
        '/api/v1/admin/tenants/{id}/quota',
        '/api/v1/admin/tenants/{tenantId}/users',
        '/api/v1/admin/tenants/{tenantId}/users/{userId}',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/quota',
        '/api/v1/quota/check',
        '/api/v1/quota/reservations',
        '/api/v1/quota/history',
        '/api/v1/admin/tenants/{id}/quota/check',
        '/api/v1/admin/tenants/{id}/quota/reservations',
        '/api/v1/admin/tenants/{id}/quota/history',
        '/api/v1/admin/hosts',
        '/api/v1/admin/hosts/{id}',
        '/api/v1/admin/hosts/{id}/enrollment',
        '/api/v1/admin/hosts/{id}/inventory',
        '/api/v1/agent/enroll',
        '/api/v1/events',
        '/api/v1/admin/events',
        '/api/v1/images',
        '/api/v1/admin/images',
        '/api/v1/admin/images/{id}',
        '/api/v1/tasks',
        '/api/v1/tasks/{id}',
        '/api/v1/tasks/{id}/cancel',
        '/api/v1/admin/tasks',
        '/api/v1/admin/tasks/{id}',
        '/api/v1/admin/tasks/{id}/cancel',
        '/api/v1/vms',
        '/api/v1/vms/{id}',
        '/api/v1/vms/{id}/clone',
        '/api/v1/vms/{id}/power',
        '/api/v1/admin/vms',
        '/api/v1/admin/vms/{id}',
        '/api/v1/admin/vms/{id}/clone',
        '/api/v1/admin/vms/{id}/power',
        '/api/v1/admin/tenants/{id}/vms',
        '/api/v1/admin/unmanaged-vms',
        '/api/v1/admin/unmanaged-vms/{id}/adopt',
        '/api/v1/vms/{id}/console',
        '/api/v1/admin/vms/{id}/console',
        '/api/v1/admin/audit',
      ].sort(),
    );
    expect(document.components.securitySchemes.bearer.scheme).toBe('bearer');
    expect(document.components.schemas.CreateTenantDto.properties.slug.pattern).toBe('^[a-z0-9-]{2,40}$');
    expect(document.components.schemas.TokenPairDto.required).toEqual(expect.arrayContaining(['accessToken', 'refreshToken', 'expiresIn', 'tokenType']));
    expect(document.paths['/api/v1/admin/tenants'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/api/v1/auth/admin/login'].post.security).toBeUndefined();
    expect(document.paths['/api/v1/me'].get.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBodyDto');
    expect(document.components.schemas.ErrorBodyDto.required).toEqual(['statusCode', 'code', 'message', 'correlationId']);
  });
});

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown; responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> }>>;
  components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, { properties: Record<string, { pattern?: string }>; required?: string[] }> };
}

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
