import { Types } from 'mongoose';
import { CreateImageDto } from '../../src/images/image.dto';
import { ImagesService } from '../../src/images/images.service';
import { bearer, TenantActor, tenantActor } from '../support/actors';
import { AgentProcess, eventually, startAgent } from '../support/agent-process';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

const unknownId = () => new Types.ObjectId().toHexString();
const uniqueName = (prefix = 'img') => `${prefix}-${new Types.ObjectId().toHexString().slice(-8)}`;

describe('image catalog', () => {
  let t: TestApp;
  let owner: TenantActor;
  let other: TenantActor;
  const agents: AgentProcess[] = [];

  const admin = () => bearer(t.admin.accessToken);
  const validImage = (overrides: Record<string, unknown> = {}) => ({
    name: uniqueName(),
    os: 'linux',
    generation: 2,
    fileName: `${uniqueName('file')}.vhdx`,
    minDiskGiB: 10,
    defaultUser: 'ubuntu',
    ...overrides,
  });
  const createImage = async (overrides: Record<string, unknown> = {}) => (await t.http.post('/api/v1/admin/images').set(admin()).send(validImage(overrides)).expect(201)).body;
  const tenantImages = async (actor: TenantActor, query = '') => (await t.http.get(`/api/v1/images${query}`).set(bearer(actor.accessToken)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ OPENHVX_HOST_OFFLINE_AFTER: '3', OPENHVX_HEARTBEAT_INTERVAL: '1' });
    owner = await tenantActor(t.http, t.admin.accessToken);
    other = await tenantActor(t.http, t.admin.accessToken, 'viewer');
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.kill('SIGKILL')));
    await t.close();
  });

  describe('admin CRUD', () => {
    it('creates an image with defaults, reads it, updates it and deletes it', async () => {
      const input = validImage();
      const { body: created } = await t.http.post('/api/v1/admin/images').set(admin()).send(input).expect(201);
      expect(created).toEqual({
        ...input,
        id: expect.any(String),
        cloudInit: true,
        visibility: 'public',
        tenantIds: [],
        hosts: [],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await t.http.get(`/api/v1/admin/images/${created.id}`).set(admin()).expect(200)).body).toEqual(created);

      const renamed = uniqueName('renamed');
      const { body: updated } = await t.http
        .patch(`/api/v1/admin/images/${created.id}`)
        .set(admin())
        .send({ name: renamed, minDiskGiB: 20, defaultUser: null, cloudInit: false, generation: 1, os: 'windows' })
        .expect(200);
      expect(updated).toMatchObject({ id: created.id, name: renamed, minDiskGiB: 20, defaultUser: null, cloudInit: false, generation: 1, os: 'windows', fileName: input.fileName });
      expect((await t.http.get(`/api/v1/admin/images/${created.id}`).set(admin()).expect(200)).body).toMatchObject({ name: renamed, defaultUser: null });

      await t.http.delete(`/api/v1/admin/images/${created.id}`).set(admin()).expect(204);
      await t.http.get(`/api/v1/admin/images/${created.id}`).set(admin()).expect(404);
      expect(await t.connection.collection('images').countDocuments({ _id: new Types.ObjectId(created.id) })).toBe(0);
    });

    it('lists by name with limit, offset and a name or file-name filter', async () => {
      const prefix = uniqueName('list');
      const images = [];
      for (const suffix of ['c', 'a', 'b']) images.push(await createImage({ name: `${prefix}-${suffix}` }));
      const { body: page } = await t.http.get(`/api/v1/admin/images?q=${prefix}&limit=2&offset=1`).set(admin()).expect(200);
      expect(page.total).toBe(3);
      expect(page.items.map((image: { name: string }) => image.name)).toEqual([`${prefix}-b`, `${prefix}-c`]);
      const { body: byFile } = await t.http.get(`/api/v1/admin/images?q=${images[0].fileName}`).set(admin()).expect(200);
      expect(byFile).toEqual({ items: [images[0]], total: 1 });
      await t.http.get('/api/v1/admin/images?limit=0').set(admin()).expect(400);
    });

    // Functions, because the tenants exist only once beforeAll has run.
    it.each<[string, () => Record<string, unknown>]>([
      ['a bad name', () => ({ name: '-starts-with-dash' })],
      ['a name with a space', () => ({ name: 'has space' })],
      ['an unknown os', () => ({ os: 'macos' })],
      ['generation 3', () => ({ generation: 3 })],
      ['generation as text', () => ({ generation: '2' })],
      ['a file that is not a .vhdx', () => ({ fileName: 'disk.vhd' })],
      ['a file name with a slash', () => ({ fileName: 'images/disk.vhdx' })],
      ['a file name with a backslash', () => ({ fileName: 'C:\\images\\disk.vhdx' })],
      ['a file name with a drive colon', () => ({ fileName: 'C:disk.vhdx' })],
      ['a parent-directory path', () => ({ fileName: '../disk.vhdx' })],
      ['a zero disk', () => ({ minDiskGiB: 0 })],
      ['a fractional disk', () => ({ minDiskGiB: 1.5 })],
      ['a bad default user', () => ({ defaultUser: 'root; rm' })],
      ['a null cloudInit', () => ({ cloudInit: null })],
      ['an unknown visibility', () => ({ visibility: 'secret' })],
      ['visibility tenants without tenantIds', () => ({ visibility: 'tenants' })],
      ['visibility tenants with an empty list', () => ({ visibility: 'tenants', tenantIds: [] })],
      ['tenantIds on a public image', () => ({ visibility: 'public', tenantIds: [owner.tenantId] })],
      ['a tenant id that is not an id', () => ({ visibility: 'tenants', tenantIds: ['nope'] })],
      ['a tenant that does not exist', () => ({ visibility: 'tenants', tenantIds: [unknownId()] })],
      ['the same tenant twice', () => ({ visibility: 'tenants', tenantIds: [owner.tenantId, owner.tenantId] })],
      ['an unknown field', () => ({ size: 3 })],
    ])('refuses %s with 400', async (_label, overrides) => {
      const { body } = await t.http.post('/api/v1/admin/images').set(admin()).send(validImage(overrides())).expect(400);
      expect(body.code).toBe('VALIDATION_FAILED');
    });

    it('names the unknown tenants it refuses', async () => {
      const missing = unknownId();
      const { body } = await t.http.post('/api/v1/admin/images').set(admin()).send(validImage({ visibility: 'tenants', tenantIds: [owner.tenantId, missing] })).expect(400);
      expect(body.details).toEqual([{ field: 'tenantIds', errors: [`unknown tenant(s): ${missing}`] }]);
    });

    it('refuses bad updates with 400 and leaves the image as it was', async () => {
      const image = await createImage();
      for (const patch of [{ name: null }, { minDiskGiB: null }, { fileName: 'x/y.vhdx' }, { visibility: 'tenants' }, { tenantIds: [owner.tenantId] }, { os: 'beos' }]) {
        const { body } = await t.http.patch(`/api/v1/admin/images/${image.id}`).set(admin()).send(patch).expect(400);
        expect([patch, body.code]).toEqual([patch, 'VALIDATION_FAILED']);
      }
      expect((await t.http.get(`/api/v1/admin/images/${image.id}`).set(admin()).expect(200)).body).toEqual(image);
    });

    it('answers 409 for a duplicate name, on create and on rename', async () => {
      const first = await createImage();
      const second = await createImage();
      const { body } = await t.http.post('/api/v1/admin/images').set(admin()).send(validImage({ name: first.name })).expect(409);
      expect(body).toMatchObject({ code: 'CONFLICT', message: `An image named '${first.name}' already exists` });
      await t.http.patch(`/api/v1/admin/images/${second.id}`).set(admin()).send({ name: first.name }).expect(409);
      expect(await t.connection.collection('images').countDocuments({ name: first.name })).toBe(1);
    });

    it('answers 404 for an unknown image and 400 for a malformed id', async () => {
      const id = unknownId();
      await t.http.get(`/api/v1/admin/images/${id}`).set(admin()).expect(404);
      await t.http.patch(`/api/v1/admin/images/${id}`).set(admin()).send({ minDiskGiB: 5 }).expect(404);
      await t.http.delete(`/api/v1/admin/images/${id}`).set(admin()).expect(404);
      expect((await t.http.get('/api/v1/admin/images/not-an-id').set(admin()).expect(400)).body.code).toBe('INVALID_ID');
    });

    it('refuses anonymous callers and tenant tokens on admin routes, and admin tokens on the tenant list', async () => {
      const image = await createImage();
      const routes = [
        () => t.http.post('/api/v1/admin/images').send(validImage()),
        () => t.http.get('/api/v1/admin/images'),
        () => t.http.get(`/api/v1/admin/images/${image.id}`),
        () => t.http.patch(`/api/v1/admin/images/${image.id}`).send({ minDiskGiB: 5 }),
        () => t.http.delete(`/api/v1/admin/images/${image.id}`),
      ];
      for (const route of routes) {
        expect((await route().expect(401)).body.code).toBe('UNAUTHENTICATED');
        expect((await route().set(bearer(owner.accessToken)).expect(403)).body.code).toBe('WRONG_AUDIENCE');
      }
      await t.http.get('/api/v1/images').expect(401);
      expect((await t.http.get('/api/v1/images').set(admin()).expect(403)).body.code).toBe('WRONG_AUDIENCE');
      await t.http.get(`/api/v1/admin/images/${image.id}`).set(admin()).expect(200);
    });
  });

  describe('visibility to tenants', () => {
    it('shows public images to every tenant and shared ones only to the tenants listed, without host internals', async () => {
      const prefix = uniqueName('vis');
      const shared = await createImage({ name: `${prefix}-shared`, visibility: 'tenants', tenantIds: [owner.tenantId] });
      const everyone = await createImage({ name: `${prefix}-public` });
      expect(shared).toMatchObject({ visibility: 'tenants', tenantIds: [owner.tenantId] });

      const seenByOwner = await tenantImages(owner, `?q=${prefix}`);
      expect(seenByOwner).toEqual({
        items: [
          { id: everyone.id, name: everyone.name, os: 'linux', generation: 2, minDiskGiB: 10, defaultUser: 'ubuntu', cloudInit: true, available: false },
          { id: shared.id, name: shared.name, os: 'linux', generation: 2, minDiskGiB: 10, defaultUser: 'ubuntu', cloudInit: true, available: false },
        ],
        total: 2,
      });
      expect(await tenantImages(other, `?q=${prefix}`)).toEqual({ items: [expect.objectContaining({ id: everyone.id })], total: 1 });

      // Shared with the other tenant instead, then made public: the lists follow.
      await t.http.patch(`/api/v1/admin/images/${shared.id}`).set(admin()).send({ tenantIds: [other.tenantId] }).expect(200);
      expect((await tenantImages(owner, `?q=${prefix}`)).items.map((i: { id: string }) => i.id)).toEqual([everyone.id]);
      expect((await tenantImages(other, `?q=${prefix}`)).items.map((i: { id: string }) => i.id)).toEqual([everyone.id, shared.id]);
      const { body: madePublic } = await t.http.patch(`/api/v1/admin/images/${shared.id}`).set(admin()).send({ visibility: 'public' }).expect(200);
      expect(madePublic).toMatchObject({ visibility: 'public', tenantIds: [] });
      expect((await tenantImages(owner, `?q=${prefix}`)).total).toBe(2);
    });

    it('resolves an image for a VM only for a tenant that may use it', async () => {
      const images = t.app.get(ImagesService);
      const shared = await createImage({ visibility: 'tenants', tenantIds: [owner.tenantId], defaultUser: undefined });
      const spec = { id: shared.id, name: shared.name, os: 'linux', generation: 2, fileName: shared.fileName, minDiskGiB: 10, defaultUser: null, cloudInit: true };
      await expect(images.findUsableByTenant(shared.id, owner.tenantId)).resolves.toEqual(spec);
      await expect(images.findUsableByTenant(shared.id, other.tenantId)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
      await expect(images.findUsableByTenant(unknownId(), owner.tenantId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(images.findUsableByTenant('garbage', owner.tenantId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(images.findById(shared.id)).resolves.toEqual(spec);
      await expect(images.findById(unknownId())).resolves.toBeNull();
    });

    it('drops a deleted tenant from the images shared with it', async () => {
      const leaving = await tenantActor(t.http, t.admin.accessToken);
      const shared = await createImage({ visibility: 'tenants', tenantIds: [owner.tenantId, leaving.tenantId] });
      await t.http.delete(`/api/v1/admin/tenants/${leaving.tenantId}`).set(admin()).expect(204);
      expect((await t.http.get(`/api/v1/admin/images/${shared.id}`).set(admin()).expect(200)).body.tenantIds).toEqual([owner.tenantId]);
    });
  });

  it('lists the hosts whose inventory has the file, and tells tenants whether an online host can serve it', async () => {
    const { body: host } = await t.http.post('/api/v1/admin/hosts').set(admin()).send({ name: uniqueName('hv') }).expect(201);
    agents.push(startAgent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token }));
    await eventually(() => t.http.get(`/api/v1/admin/hosts/${host.id}/inventory`).set(admin()), (response) => response.status === 200);

    const prefix = uniqueName('hosted');
    const onHost = await createImage({ name: `${prefix}-debian`, fileName: 'debian-13.vhdx' });
    const nowhere = await createImage({ name: `${prefix}-missing` });
    expect(onHost.hosts).toEqual([{ id: host.id, name: host.name, status: 'online' }]);
    expect(nowhere.hosts).toEqual([]);
    const { body: listed } = await t.http.get(`/api/v1/admin/images?q=${prefix}`).set(admin()).expect(200);
    expect(listed.items.map((image: { hosts: unknown[] }) => image.hosts)).toEqual([onHost.hosts, []]);
    const availability = async () => (await tenantImages(owner, `?q=${prefix}`)).items.map((image: { available: boolean }) => image.available);
    expect(await availability()).toEqual([true, false]);

    await t.http.patch(`/api/v1/admin/hosts/${host.id}`).set(admin()).send({ maintenance: true }).expect(200);
    const inMaintenance = (await t.http.get(`/api/v1/admin/images/${onHost.id}`).set(admin()).expect(200)).body.hosts;
    expect(inMaintenance).toEqual([{ id: host.id, name: host.name, status: 'maintenance' }]);
    expect(await availability()).toEqual([false, false]);

    await t.http.patch(`/api/v1/admin/hosts/${host.id}`).set(admin()).send({ maintenance: false }).expect(200);
    await agents.pop()!.kill('SIGKILL');
    await eventually(async () => (await t.http.get(`/api/v1/admin/images/${onHost.id}`).set(admin())).body.hosts, (hosts) => hosts[0]?.status === 'offline');
    expect(await availability()).toEqual([false, false]);
  });

  it('creates a catalog entry once when replicas seed it at the same time', async () => {
    const images = t.app.get(ImagesService);
    const seed: CreateImageDto = { ...validImage(), os: 'linux', generation: 2 };
    await Promise.all(Array.from({ length: 5 }, () => images.ensureExists(seed)));
    expect(await t.connection.collection('images').countDocuments({ name: seed.name })).toBe(1);
  });
});

describe('demo images', () => {
  it('registers the sim images as public images once, however many replicas boot', async () => {
    const first = await startTestApp({ OPENHVX_DEMO: '1' });
    const second = await startTestApp(first.env);
    try {
      const { body } = await first.http.get('/api/v1/admin/images').set(bearer(first.admin.accessToken)).expect(200);
      expect(body.total).toBe(3);
      expect(body.items.map((image: Record<string, unknown>) => [image.name, image.fileName, image.os, image.generation, image.cloudInit, image.visibility])).toEqual([
        ['debian-13', 'debian-13.vhdx', 'linux', 2, true, 'public'],
        ['rocky-10', 'rocky-10.vhdx', 'linux', 2, true, 'public'],
        ['ubuntu-24.04', 'ubuntu-24.04.vhdx', 'linux', 2, true, 'public'],
      ]);
      expect(body.items.every((image: { minDiskGiB: number; defaultUser: string }) => image.minDiskGiB >= 8 && /^[a-z]+$/.test(image.defaultUser))).toBe(true);
    } finally {
      await second.close({ keepData: true });
      await first.close();
    }
  });
});
