import { InventoryVmSchema, HostFactsSchema, InventorySchema } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { SimDriver } from './sim-driver';
import { inventoryVm, runVm, SimTestHost, testContext } from './sim-test-host';

describe(SimDriver.name, () => {
  let host: SimTestHost;
  let driver: SimDriver;

  beforeEach(async () => {
    host = await SimTestHost.create();
    driver = await host.driver();
  });
  afterEach(() => host.cleanup());

  const failure = (code: string) => expect.objectContaining({ name: 'DriverError', code });

  describe('facts and inventory', () => {
    it('reports an empty default host that satisfies the protocol schemas', async () => {
      const facts = HostFactsSchema.parse(await driver.facts());
      expect(facts).toEqual({
        hostname: 'sim-test-01',
        os: 'Windows Server 2025 Datacenter (simulated)',
        hypervVersion: '10.0.26100',
        cpuCores: 16,
        memoryMiB: 65_536,
        freeMemoryMiB: 65_536,
        // The three default images (6 GiB) sit on the first datastore.
        datastores: [{ name: 'D', path: 'D:\\OpenHVX', totalGiB: 2_000, freeGiB: 1_994 }],
      });
      const inventory = InventorySchema.parse(await driver.inventory());
      expect(inventory).toEqual({
        vms: [],
        switches: [{ name: 'Default Switch', type: 'internal' }],
        images: [
          { fileName: 'ubuntu-24.04.vhdx', sizeGiB: 2.5 },
          { fileName: 'rocky-10.vhdx', sizeGiB: 2 },
          { fileName: 'debian-13.vhdx', sizeGiB: 1.5 },
        ],
      });
    });

    it('counts memory of running and paused VMs only, and every disk at its provisioned size', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'a', memoryMiB: 1024, start: true }));
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'b', memoryMiB: 2048, start: true }));
      await runVm(driver, 'vm.power', { vmId: 'b', name: 'x', action: 'pause' });
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'c', memoryMiB: 4096, start: true }));
      await runVm(driver, 'vm.power', { vmId: 'c', name: 'x', action: 'save' });
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'd', memoryMiB: 8192, start: false }));

      const facts = await driver.facts();
      expect(facts.freeMemoryMiB).toBe(65_536 - 1024 - 2048);
      expect(facts.datastores[0].freeGiB).toBe(2_000 - 6 - 4 * 20);
    });

    it('describes a created VM as Hyper-V would', async () => {
      const vm = InventoryVmSchema.parse(await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web-a', start: true })));
      expect(vm).toEqual({
        hypervisorId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        name: 'web-a',
        openhvxVmId: 'vm-a',
        state: 'running',
        generation: 2,
        vcpu: 2,
        memoryMiB: 2048,
        uptimeSeconds: 0,
        disks: [{ path: 'D:\\OpenHVX\\vm-a\\web-a.vhdx', sizeGiB: 20, usedGiB: 2.5 }],
        nics: [
          {
            switchName: 'Default Switch',
            macAddress: expect.stringMatching(/^00:15:5D(:[0-9A-F]{2}){3}$/),
            ipAddresses: [expect.stringMatching(/^10\.\d+\.\d+\.\d+$/)],
          },
        ],
      });
      expect(await inventoryVm(driver, 'vm-a')).toEqual(vm);
    });

    it('counts uptime from the boot and gives the guest an address only once it has booted', async () => {
      const timed = await host.otherDriver({ actionDelayMs: 1 });
      await runVm(timed, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
      expect((await inventoryVm(timed, 'vm-a'))?.nics[0].ipAddresses).toEqual([]);

      host.now += 90_500;
      const running = await inventoryVm(timed, 'vm-a');
      expect(running?.uptimeSeconds).toBe(90);
      expect(running?.nics[0].ipAddresses).toHaveLength(1);

      const off = await runVm(timed, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'stop' });
      expect(off).toMatchObject({ state: 'off', uptimeSeconds: 0, nics: [{ ipAddresses: [] }] });
    });

    it('shows the transitional state while an action runs', async () => {
      const slow = await host.otherDriver({ actionDelayMs: 20 });
      const seen: unknown[] = [];
      const context = testContext();
      // Sampled at each progress report, i.e. while each step is under way.
      context.progress = (percent) => {
        void Promise.all([inventoryVm(slow, 'vm-a'), slow.facts()]).then(([vm, facts]) => seen.push([percent, vm?.state, facts.freeMemoryMiB]));
      };
      await runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }), context);
      expect(seen).toEqual([
        [10, 'off', 65_536],
        [40, 'off', 65_536],
        [70, 'starting', 65_536 - 2048],
        [100, 'running', 65_536 - 2048],
      ]);
      expect((await inventoryVm(slow, 'vm-a'))?.state).toBe('running');
    });
  });

  describe('vm.create', () => {
    it('reports progress and takes about three action delays when it starts the VM', async () => {
      const timed = await host.otherDriver({ actionDelayMs: 30 });
      const context = testContext();
      const began = performance.now();
      await runVm(timed, 'vm.create', host.createParams({ start: true }), context);
      expect(performance.now() - began).toBeGreaterThanOrEqual(85);
      expect(context.reports.length).toBeGreaterThanOrEqual(3);
      expect(context.reports.at(-1)?.percent).toBe(100);
    });

    it('refuses a name already used on the host, whatever its case', async () => {
      await runVm(driver, 'vm.create', host.createParams({ name: 'Web' }));
      await expect(runVm(driver, 'vm.create', host.createParams({ name: 'web' }))).rejects.toEqual(failure('NAME_TAKEN'));
    });

    it('answers the existing VM when the same job runs again, without a duplicate', async () => {
      const params = host.createParams({ vmId: 'vm-a', name: 'web-a', start: true });
      const first = await runVm(driver, 'vm.create', params);
      const again = await runVm(driver, 'vm.create', params);
      expect(again.hypervisorId).toBe(first.hypervisorId);
      expect((await driver.inventory()).vms).toHaveLength(1);
    });

    it('refuses a vmId that belongs to a VM of another name', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web-a' }));
      await expect(runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web-b' }))).rejects.toEqual(failure('INVALID_PARAMS'));
    });

    it('refuses an image the library does not hold', async () => {
      await expect(runVm(driver, 'vm.create', host.createParams({ imageFileName: 'windows-3.11.vhdx' }))).rejects.toEqual(failure('IMAGE_NOT_FOUND'));
    });

    it('refuses a disk that does not fit on the datastore', async () => {
      const small = await host.otherDriver({ datastores: [{ name: 'D', totalGiB: 50 }] });
      await runVm(small, 'vm.create', host.createParams({ diskGiB: 40 }));
      await expect(runVm(small, 'vm.create', host.createParams({ diskGiB: 5 }))).rejects.toEqual(failure('INSUFFICIENT_CAPACITY'));
    });

    it('places the VM on the datastore asked for, or on the one with most free space', async () => {
      const two = await host.otherDriver({ datastores: [{ name: 'D', totalGiB: 100 }, { name: 'E', totalGiB: 500 }] });
      const placed = await runVm(two, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'a' }));
      const chosen = await runVm(two, 'vm.create', host.createParams({ vmId: 'vm-b', name: 'b', datastore: 'D' }));
      expect(placed.disks[0].path).toBe('E:\\OpenHVX\\vm-a\\a.vhdx');
      expect(chosen.disks[0].path).toBe('D:\\OpenHVX\\vm-b\\b.vhdx');
      await expect(runVm(two, 'vm.create', host.createParams({ datastore: 'Z' }))).rejects.toEqual(failure('INVALID_PARAMS'));
    });

    it('refuses to start a VM whose memory is not free, and creates nothing', async () => {
      const small = await host.otherDriver({ memoryMiB: 4096 });
      await runVm(small, 'vm.create', host.createParams({ memoryMiB: 3072, start: true }));
      await expect(runVm(small, 'vm.create', host.createParams({ vmId: 'big', memoryMiB: 2048, start: true }))).rejects.toEqual(
        failure('INSUFFICIENT_CAPACITY'),
      );
      expect(await inventoryVm(small, 'big')).toBeUndefined();
      // Off, it needs no memory.
      await expect(runVm(small, 'vm.create', host.createParams({ memoryMiB: 2048, start: false }))).resolves.toMatchObject({ state: 'off' });
    });

    it('refuses more virtual processors than the host has logical processors', async () => {
      await expect(runVm(driver, 'vm.create', host.createParams({ vcpu: 17 }))).rejects.toEqual(failure('INVALID_PARAMS'));
    });

    it('refuses memory that is not a multiple of 2 MiB, secure boot on generation 1 and a disk smaller than the image', async () => {
      await expect(runVm(driver, 'vm.create', host.createParams({ memoryMiB: 1025 }))).rejects.toEqual(failure('INVALID_PARAMS'));
      await expect(runVm(driver, 'vm.create', host.createParams({ generation: 1, secureBootTemplate: 'MicrosoftWindows' }))).rejects.toEqual(
        failure('INVALID_PARAMS'),
      );
      await expect(runVm(driver, 'vm.create', host.createParams({ diskGiB: 2 }))).rejects.toEqual(failure('DISK_CANNOT_SHRINK'));
    });

    it('refuses params that do not match the protocol schema, and actions it does not know', async () => {
      await expect(runVm(driver, 'vm.create', { ...host.createParams(), vcpu: 0 })).rejects.toEqual(failure('INVALID_PARAMS'));
      await expect(driver.run('vm.migrate' as never, {} as never, testContext())).rejects.toEqual(failure('UNKNOWN_ACTION'));
    });

    it('rolls back when aborted and rejects with TIMEOUT', async () => {
      const slow = await host.otherDriver({ actionDelayMs: 1_000 });
      const controller = new AbortController();
      const creating = runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }), testContext(controller.signal));
      setTimeout(() => controller.abort(new Error('job timed out')), 20);
      await expect(creating).rejects.toEqual(failure('TIMEOUT'));
      expect(await inventoryVm(slow, 'vm-a')).toBeUndefined();
      expect((await slow.facts()).datastores[0].freeGiB).toBe(1_994);
    });
  });

  describe('vm.edit', () => {
    it('refuses a processor or memory change unless the VM is off', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', vcpu: 4 })).rejects.toEqual(failure('VM_MUST_BE_OFF'));
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', memoryMiB: 4096 })).rejects.toEqual(failure('VM_MUST_BE_OFF'));
      await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'save' });
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', vcpu: 4 })).rejects.toEqual(failure('VM_MUST_BE_OFF'));

      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b' }));
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-b', name: 'x', vcpu: 4, memoryMiB: 4096 })).resolves.toMatchObject({ vcpu: 4, memoryMiB: 4096 });
    });

    it('accepts unchanged values on a running VM', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', vcpu: 2, start: true }));
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', vcpu: 2, memoryMiB: 2048 })).resolves.toMatchObject({ state: 'running' });
    });

    it('grows a disk while the VM runs but never shrinks it', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', diskGiB: 20, start: true }));
      const grown = await runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', diskGiB: 40 });
      expect(grown).toMatchObject({ state: 'running', disks: [{ sizeGiB: 40 }] });
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', diskGiB: 30 })).rejects.toEqual(failure('DISK_CANNOT_SHRINK'));
      expect((await driver.facts()).datastores[0].freeGiB).toBe(2_000 - 6 - 40);
    });

    it('refuses growth the datastore cannot hold', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', diskGiB: 20 }));
      await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', diskGiB: 2_000 })).rejects.toEqual(failure('INSUFFICIENT_CAPACITY'));
    });

    it('refuses an unknown VM', async () => {
      await expect(runVm(driver, 'vm.edit', { vmId: 'nope', name: 'x', vcpu: 2 })).rejects.toEqual(failure('NOT_FOUND'));
    });
  });

  describe('vm.clone', () => {
    it('copies an off VM into a new VM with its own id, disk copy and MAC', async () => {
      const source = await runVm(driver, 'vm.create', host.createParams({ vmId: 'src', name: 'golden', diskGiB: 30 }));
      const copy = await runVm(driver, 'vm.clone', { source: { vmId: 'src', name: 'golden' }, target: { vmId: 'dst', name: 'copy', start: true } });
      expect(copy).toMatchObject({ name: 'copy', openhvxVmId: 'dst', state: 'running', vcpu: source.vcpu, memoryMiB: source.memoryMiB });
      expect(copy.hypervisorId).not.toBe(source.hypervisorId);
      expect(copy.nics[0].macAddress).not.toBe(source.nics[0].macAddress);
      expect(copy.disks).toEqual([{ path: 'D:\\OpenHVX\\dst\\copy.vhdx', sizeGiB: 30, usedGiB: 2.5 }]);
      expect((await driver.facts()).datastores[0].freeGiB).toBe(2_000 - 6 - 60);
      // A re-run of the same job answers the copy it made.
      const again = await runVm(driver, 'vm.clone', { source: { vmId: 'src', name: 'golden' }, target: { vmId: 'dst', name: 'copy', start: true } });
      expect(again.hypervisorId).toBe(copy.hypervisorId);
    });

    it('refuses a source that is not off, a missing source and a taken name', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'src', name: 'golden', start: true }));
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'other', name: 'taken' }));
      const clone = (sourceId: string, name: string) =>
        runVm(driver, 'vm.clone', { source: { vmId: sourceId, name: 'x' }, target: { vmId: 'dst', name, start: false } });
      await expect(clone('src', 'copy')).rejects.toEqual(failure('VM_MUST_BE_OFF'));
      await expect(clone('missing', 'copy')).rejects.toEqual(failure('NOT_FOUND'));
      await runVm(driver, 'vm.power', { vmId: 'src', name: 'x', action: 'stop' });
      await expect(clone('src', 'taken')).rejects.toEqual(failure('NAME_TAKEN'));
      expect(await inventoryVm(driver, 'dst')).toBeUndefined();
    });
  });

  describe('vm.delete', () => {
    it('removes an off or saved VM with its disks', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a' }));
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b', start: true }));
      await runVm(driver, 'vm.power', { vmId: 'vm-b', name: 'x', action: 'save' });
      await expect(driver.run('vm.delete', { vmId: 'vm-a', name: 'x', force: false }, testContext())).resolves.toEqual({
        vm: expect.objectContaining({ state: 'off' }),
      });
      await driver.run('vm.delete', { vmId: 'vm-b', name: 'x', force: false }, testContext());
      expect((await driver.inventory()).vms).toEqual([]);
      expect((await driver.facts()).datastores[0].freeGiB).toBe(1_994);
    });

    it('refuses a running or paused VM unless forced', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b', start: true }));
      await runVm(driver, 'vm.power', { vmId: 'vm-b', name: 'x', action: 'pause' });
      for (const vmId of ['vm-a', 'vm-b']) {
        await expect(driver.run('vm.delete', { vmId, name: 'x', force: false }, testContext())).rejects.toEqual(failure('VM_MUST_BE_OFF'));
        await driver.run('vm.delete', { vmId, name: 'x', force: true }, testContext());
      }
      expect((await driver.inventory()).vms).toEqual([]);
      expect((await driver.facts()).freeMemoryMiB).toBe(65_536);
    });

    it('succeeds for a VM that is already gone', async () => {
      await expect(driver.run('vm.delete', { vmId: 'gone', name: 'x', force: false }, testContext())).resolves.toEqual({ vm: null });
    });
  });

  describe('host.refresh', () => {
    it('answers an empty object', async () => {
      await expect(driver.run('host.refresh', {}, testContext())).resolves.toEqual({});
    });
  });

  it('refuses a second action on a VM while one runs on it', async () => {
    const slow = await host.otherDriver({ actionDelayMs: 30 });
    await runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
    const shuttingDown = runVm(slow, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'shutdown' });
    await expect(runVm(slow, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'pause' })).rejects.toEqual(
      expect.objectContaining({ code: 'INVALID_STATE', retryable: true }),
    );
    await expect(shuttingDown).resolves.toMatchObject({ state: 'off' });
  });

  it('keeps its VMs across a restart on the same dataDir', async () => {
    const created = await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
    await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b' }));
    await driver.stop();

    const restarted = await host.driver();
    expect(await inventoryVm(restarted, 'vm-a')).toEqual(created);
    expect((await restarted.inventory()).vms).toHaveLength(2);
    expect((await restarted.facts()).freeMemoryMiB).toBe(65_536 - 2048);
  });

  it('keeps two hosts in one process independent', async () => {
    const other = await host.otherDriver({ hostname: 'sim-test-02', cpuCores: 8 });
    await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'same-name', start: true }));
    await runVm(other, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'same-name' }));

    expect((await driver.facts()).freeMemoryMiB).toBe(65_536 - 2048);
    expect(await other.facts()).toMatchObject({ hostname: 'sim-test-02', cpuCores: 8, freeMemoryMiB: 65_536 });
    await runVm(other, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'start' });
    await other.run('vm.delete', { vmId: 'vm-a', name: 'x', force: true }, testContext());
    expect(await inventoryVm(driver, 'vm-a')).toMatchObject({ state: 'running' });
  });

  it('waits on no timer at all with no action delay (the benchmark setting), through 1,000 creates and deletes', async () => {
    // With timers faked and never advanced, any sleep, setTimeout(0) or setImmediate would hang this loop.
    jest.useFakeTimers();
    try {
      for (let i = 0; i < 1_000; i++) {
        await runVm(driver, 'vm.create', { ...host.createParams({ vmId: `bench-${i}`, name: `bench-${i}` }), start: true });
        await driver.run('vm.delete', { vmId: `bench-${i}`, name: `bench-${i}`, force: true }, testContext());
      }
      expect((await driver.inventory()).vms).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects with a DriverError class instance the agent core can recognise', async () => {
    await expect(runVm(driver, 'vm.edit', { vmId: 'nope', name: 'x' })).rejects.toBeInstanceOf(DriverError);
  });
});
