import { connect, Socket } from 'node:net';
import { PlatformEvent } from '../../src/contracts/events';
import { EventsService } from '../../src/events/events.service';
import { bearer, TenantActor, tenantActor } from '../support/actors';
import { eventsOf, openStream, SseClient } from '../support/sse-client';
import { eventually } from '../support/agent-process';
import { startTestApp, TestApp } from '../support/test-app';

/** Two server replicas sharing MongoDB and Redis: events published on either reach streams on both. */
describe('live events (SSE)', () => {
  let first: TestApp;
  let second: TestApp;
  let tenantX: TenantActor;
  let tenantY: TenantActor;
  const clients: SseClient[] = [];
  const stream = async (app: TestApp, path: string, token?: string) => {
    const client = await openStream(`${app.url}${path}`, token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp(first.env);
    tenantX = await tenantActor(first.http, first.admin.accessToken);
    tenantY = await tenantActor(first.http, first.admin.accessToken);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await second.close({ keepData: true });
    await first.close();
  });

  it('delivers an event published on one replica to a stream on the other, in SSE format with anti-buffering headers', async () => {
    const client = await stream(second, '/api/v1/events', tenantX.accessToken);
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('content-type')).toBe('text/event-stream');
    expect(client.response.headers.get('x-accel-buffering')).toBe('no');
    expect(client.response.headers.get('cache-control')).toContain('no-cache');

    const published = await first.app.get(EventsService).publish({ type: 'vm.updated', tenantId: tenantX.tenantId, data: { id: 'vm-1', state: 'running' } });
    await eventually(async () => client.messages.length, (count) => count === 1);
    expect(client.messages).toEqual([{ id: published!.id, event: 'vm.updated', data: JSON.stringify(published) }]);
    expect(published).toEqual({ id: expect.any(String), type: 'vm.updated', tenantId: tenantX.tenantId, data: { id: 'vm-1', state: 'running' }, at: expect.any(String) });
  });

  it("shows a tenant only its own tenant's events, and an admin every event including admin-only ones", async () => {
    const [x, y, admin] = await Promise.all([
      stream(second, '/api/v1/events', tenantX.accessToken),
      stream(first, '/api/v1/events', tenantY.accessToken),
      stream(second, '/api/v1/admin/events', second.admin.accessToken),
    ]);
    const events = first.app.get(EventsService);
    const forX = await events.publish({ type: 'task.created', tenantId: tenantX.tenantId, data: { task: 'x' } });
    const forY = await second.app.get(EventsService).publish({ type: 'quota.updated', tenantId: tenantY.tenantId, data: { quota: 'y' } });
    const adminOnly = await events.publish({ type: 'host.updated', tenantId: null, data: { host: 'hv-01' } });

    await eventually(async () => eventsOf(admin).length, (count) => count === 3);
    expect(eventsOf(admin)).toEqual([forX, forY, adminOnly]);
    // The admin stream got the last one, so the tenant streams have had every chance to see theirs (and no more).
    await eventually(async () => eventsOf(x).length + eventsOf(y).length, (count) => count === 2);
    expect(eventsOf(x)).toEqual([forX]);
    expect(eventsOf(y)).toEqual([forY]);
  });

  it('refuses anonymous callers, bad tokens and the other audience before any stream starts', async () => {
    const refusal = async (client: SseClient) => [client.response.status, ((await client.response.json()) as { code: string }).code];
    for (const path of ['/api/v1/events', '/api/v1/admin/events']) {
      expect([path, ...(await refusal(await stream(second, path)))]).toEqual([path, 401, 'UNAUTHENTICATED']);
      expect([path, ...(await refusal(await stream(second, path, 'not-a-token')))]).toEqual([path, 401, 'INVALID_TOKEN']);
    }
    expect(await refusal(await stream(second, '/api/v1/admin/events', tenantX.accessToken))).toEqual([403, 'WRONG_AUDIENCE']);
    expect(await refusal(await stream(second, '/api/v1/events', second.admin.accessToken))).toEqual([403, 'WRONG_AUDIENCE']);
  });

  it('documents both streams as text/event-stream in OpenAPI', async () => {
    const { body: document } = await first.http.get('/api/openapi.json').expect(200);
    for (const path of ['/api/v1/events', '/api/v1/admin/events']) {
      expect([path, Object.keys(document.paths[path].get.responses['200'].content)]).toEqual([path, ['text/event-stream']]);
      expect(document.paths[path].get.security).toEqual([{ bearer: [] }]);
    }
  });

  it('disconnects a client that stops reading once its backlog is full, and keeps serving the others', async () => {
    const reader = await stream(second, '/api/v1/admin/events', second.admin.accessToken);
    const stalled = await stalledStream(second.url, '/api/v1/admin/events', second.admin.accessToken);
    const bulk = 'x'.repeat(64 * 1024);
    const published = 300; // ~19 MiB: far beyond the 1 MiB backlog plus what the kernel's socket buffers hold
    const events = first.app.get(EventsService);
    for (let i = 0; i < published; i++) await events.publish({ type: 'vm.updated', tenantId: null, data: { i, bulk } });

    await eventually(async () => eventsOf(reader).length, (count) => count === published, 30_000);
    expect(eventsOf(reader).map((event) => (event.data as { i: number }).i)).toEqual([...Array(published).keys()]);
    stalled.socket.resume();
    await within(stalled.closed, 10_000, 'the stalled client was never disconnected');
    expect(countEvents(stalled.received())).toBeLessThan(published);
  });

  it('ends open streams when the server shuts down instead of holding the shutdown', async () => {
    const third = await startTestApp(first.env);
    const client = await openStream(`${third.url}/api/v1/events`, tenantX.accessToken);
    expect(client.response.status).toBe(200);
    await within(third.close({ keepData: true }), 10_000, 'the server did not finish shutting down while a stream was open');
    await within(client.ended, 1_000, 'the stream outlived the server');
  });

  it('announces quota changes to the tenant and host changes to admins, as they happen', async () => {
    const [x, y, admin] = await Promise.all([
      stream(first, '/api/v1/events', tenantX.accessToken),
      stream(first, '/api/v1/events', tenantY.accessToken),
      stream(second, '/api/v1/admin/events', second.admin.accessToken),
    ]);
    const limits = { vcpu: 4, memoryMiB: 4096, storageGiB: 40, vms: 2 };
    await first.http.put(`/api/v1/admin/tenants/${tenantX.tenantId}/quota`).set(bearer(first.admin.accessToken)).send(limits).expect(200);
    const { body: host } = await first.http.post('/api/v1/admin/hosts').set(bearer(first.admin.accessToken)).send({ name: 'hv-events' }).expect(201);
    await first.http.patch(`/api/v1/admin/hosts/${host.id}`).set(bearer(first.admin.accessToken)).send({ maintenance: true }).expect(200);

    await eventually(async () => eventsOf(x).filter((e) => e.type === 'quota.updated'), (events) => events.length === 1);
    expect(eventsOf(x).find((e) => e.type === 'quota.updated')).toMatchObject({ tenantId: tenantX.tenantId, data: { tenantId: tenantX.tenantId } });
    await eventually(async () => eventsOf(admin).filter((e) => e.type === 'host.updated'), (events) => events.some((e) => (e.data as { id: string }).id === host.id));
    expect(eventsOf(y).filter((e) => e.type === 'quota.updated' || e.type === 'host.updated')).toEqual([]);
  });
});

/** A raw HTTP connection that sends the request and then reads nothing until resumed. */
async function stalledStream(baseUrl: string, path: string, token: string): Promise<{ socket: Socket; closed: Promise<void>; received(): string }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  await eventually(async () => text, (received) => received.includes('\r\n\r\n'));
  socket.pause();
  return { socket, closed, received: () => text };
}

function within(promise: Promise<void>, ms: number, failure: string): Promise<void> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function countEvents(raw: string): number {
  return raw.split('\nevent: ').length - 1;
}
