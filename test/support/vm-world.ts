import { randomUUID } from 'node:crypto';
import { bearer, TenantActor, tenantActor } from './actors';
import { AgentProcess, eventually, startAgent } from './agent-process';
import { tempDir, TestApp } from './test-app';

export interface OnlineHost {
  hostId: string;
  name: string;
  agent: AgentProcess;
}

/** A host record and a real sim agent process enrolled for it, online. */
export async function startOnlineHost(t: TestApp, options: { actionDelayMs?: number; args?: string[]; dataDir?: string } = {}): Promise<OnlineHost> {
  const name = `hv-${randomUUID().slice(0, 8)}`;
  const { body: host } = await t.http.post('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).send({ name }).expect(201);
  const agent = startAgent({
    serverUrl: t.url,
    dataDir: options.dataDir ?? tempDir('agent'),
    enrollToken: host.enrollment.token,
    args: ['--sim-action-delay-ms', String(options.actionDelayMs ?? 20), ...(options.args ?? [])],
  });
  await waitForHostStatus(t, host.id, 'online');
  // Placement needs the host's images, which arrive with its first inventory.
  await eventually(() => t.http.get(`/api/v1/admin/hosts/${host.id}/inventory`).set(bearer(t.admin.accessToken)), (r) => r.status === 200);
  return { hostId: host.id, name, agent };
}

export async function waitForHostStatus(t: TestApp, hostId: string, status: string): Promise<void> {
  await eventually(() => t.http.get(`/api/v1/admin/hosts/${hostId}`).set(bearer(t.admin.accessToken)), (r) => r.body.status === status, 20_000);
}

/** A public catalog image backed by one of the sim's image files. */
export async function createImage(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const { body } = await t.http
    .post('/api/v1/admin/images')
    .set(bearer(t.admin.accessToken))
    .send({
      name: `ubuntu-${randomUUID().slice(0, 6)}`,
      os: 'linux',
      generation: 2,
      fileName: 'ubuntu-24.04.vhdx',
      minDiskGiB: 10,
      defaultUser: 'ubuntu',
      cloudInit: true,
      visibility: 'public',
      ...overrides,
    })
    .expect(201);
  return body as { id: string; name: string };
}

export async function setLimits(t: TestApp, tenantId: string, limits: { vcpu: number; memoryMiB: number; storageGiB: number; vms: number }): Promise<void> {
  await t.http.put(`/api/v1/admin/tenants/${tenantId}/quota`).set(bearer(t.admin.accessToken)).send(limits).expect(200);
}

export async function tenantWithLimits(t: TestApp, limits: { vcpu: number; memoryMiB: number; storageGiB: number; vms: number }): Promise<TenantActor> {
  const actor = await tenantActor(t.http, t.admin.accessToken);
  await setLimits(t, actor.tenantId, limits);
  return actor;
}

export interface TaskView {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
  steps: { message: string }[];
}

/** Polls a task until it has finished, and returns it. */
export async function finishedTask(t: TestApp, token: string, taskId: string, timeoutMs = 20_000): Promise<TaskView> {
  const response = await eventually(
    () => t.http.get(`/api/v1/tasks/${taskId}`).set(bearer(token)),
    (r) => r.status === 200 && ['succeeded', 'failed', 'cancelled'].includes(r.body.status),
    timeoutMs,
  );
  return response.body as TaskView;
}

export async function adminFinishedTask(t: TestApp, taskId: string, timeoutMs = 20_000): Promise<TaskView> {
  const response = await eventually(
    () => t.http.get(`/api/v1/admin/tasks/${taskId}`).set(bearer(t.admin.accessToken)),
    (r) => r.status === 200 && ['succeeded', 'failed', 'cancelled'].includes(r.body.status),
    timeoutMs,
  );
  return response.body as TaskView;
}

export const smallVm = (imageId: string, name: string, extra: Record<string, unknown> = {}) => ({
  name,
  imageId,
  vcpu: 1,
  memoryMiB: 1024,
  diskGiB: 10,
  ...extra,
});
