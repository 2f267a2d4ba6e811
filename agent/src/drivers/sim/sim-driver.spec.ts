import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionParams, InventoryVmSchema, HostFactsSchema, InventorySchema } from '../../../../src/contracts/agent-protocol';
import { describeIso, listIso, readIsoFile } from '../../cloud-init/test-support/isoinfo';
import { DriverError } from '../host-driver';
import { SimDriver, simSeedIsoPath } from './sim-driver';
import { writeSimFaults } from './sim-faults';
import { SimVmRecord } from './sim-state';
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

    describe('with restart', () => {
      const edit = (on: SimDriver, params: Omit<ActionParams<'vm.edit'>, 'vmId' | 'name' | 'restart'>, context = testContext()) =>
        runVm(on, 'vm.edit', { vmId: 'vm-a', name: 'x', restart: true, ...params }, context);
      const savedRecord = (on: SimDriver, vmId: string) =>
        (JSON.parse(readFileSync(join(on.config.dataDir, 'sim-host.json'), 'utf8')) as { vms: SimVmRecord[] }).vms.find((vm) => vm.openhvxVmId === vmId);
      /** Records progress and calls `at(percent)` on each report, while the step after it runs. */
      const watching = (at: (percent: number) => void, signal?: AbortSignal) => {
        const context = testContext(signal);
        const record = context.progress;
        context.progress = (percent, message) => {
          record(percent, message);
          at(percent);
        };
        return context;
      };

      it('shuts a running VM down, changes it and starts it again, saying so step by step', async () => {
        const timed = await host.otherDriver({ actionDelayMs: 5 });
        await runVm(timed, 'vm.create', host.createParams({ vmId: 'vm-a', vcpu: 2, memoryMiB: 2048, start: true }));
        host.now += 60_000;
        const states: Array<[number, string | undefined]> = [];
        const context = watching((percent) => void inventoryVm(timed, 'vm-a').then((vm) => states.push([percent, vm?.state])));

        const edited = await edit(timed, { vcpu: 4, memoryMiB: 4096 }, context);
        // Uptime starts again: the guest rebooted.
        expect(edited).toMatchObject({ state: 'running', vcpu: 4, memoryMiB: 4096, uptimeSeconds: 0 });
        expect(context.reports).toEqual([
          { percent: 10, message: 'Shutting the guest down to change its processors and memory' },
          { percent: 40, message: 'Applying processor and memory settings' },
          { percent: 75, message: 'Starting the VM again' },
          { percent: 100, message: 'Changed; the VM was shut down for it and started again' },
        ]);
        expect(states).toEqual([
          [10, 'stopping'],
          [40, 'off'],
          [75, 'starting'],
          [100, 'running'],
        ]);
        expect(savedRecord(timed, 'vm-a')).toMatchObject({ state: 'running', vcpu: 4, memoryMiB: 4096, startedAt: host.now });
        expect((await timed.facts()).freeMemoryMiB).toBe(65_536 - 4096);
      });

      it('still refuses a paused or saved VM, and says a running one needs restart', async () => {
        await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
        await expect(runVm(driver, 'vm.edit', { vmId: 'vm-a', name: 'x', vcpu: 4 })).rejects.toThrow(/is running; turn it off \(or edit with restart\) to change its processor count/);
        await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'pause' });
        await expect(edit(driver, { vcpu: 4 })).rejects.toEqual(failure('VM_MUST_BE_OFF'));
        await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'save' });
        await expect(edit(driver, { memoryMiB: 4096 })).rejects.toEqual(failure('VM_MUST_BE_OFF'));
        expect(await inventoryVm(driver, 'vm-a')).toMatchObject({ state: 'saved', vcpu: 2, memoryMiB: 2048 });
      });

      it('does not restart for a disk growth alone, for unchanged values, or for a VM that is off', async () => {
        await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', vcpu: 2, memoryMiB: 2048, diskGiB: 20, start: true }));
        host.now += 60_000;
        const growing = testContext();
        await expect(edit(driver, { vcpu: 2, memoryMiB: 2048, diskGiB: 40 }, growing)).resolves.toMatchObject({ state: 'running', uptimeSeconds: 60, disks: [{ sizeGiB: 40 }] });
        expect(growing.reports.map((r) => r.message)).toEqual(['Growing the disk to 40 GiB', 'Done']);
        const unchanged = testContext();
        await edit(driver, { vcpu: 2 }, unchanged);
        expect(unchanged.reports).toEqual([{ percent: 100, message: 'Nothing to change' }]);

        await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b', vcpu: 2 }));
        await expect(runVm(driver, 'vm.edit', { vmId: 'vm-b', name: 'x', vcpu: 4, restart: true })).resolves.toMatchObject({ state: 'off', vcpu: 4 });
      });

      it('refuses before shutting down what it could not finish: memory that would not fit, a shrink, too many processors', async () => {
        const small = await host.otherDriver({ memoryMiB: 8192 });
        await runVm(small, 'vm.create', host.createParams({ vmId: 'vm-a', memoryMiB: 2048, diskGiB: 20, start: true }));
        await runVm(small, 'vm.create', host.createParams({ vmId: 'vm-b', memoryMiB: 4096, start: true }));
        const context = testContext();
        await expect(edit(small, { memoryMiB: 6144 }, context)).rejects.toEqual(failure('INSUFFICIENT_CAPACITY'));
        await expect(edit(small, { memoryMiB: 4096, diskGiB: 10 }, context)).rejects.toEqual(failure('DISK_CANNOT_SHRINK'));
        await expect(edit(small, { vcpu: 17 }, context)).rejects.toEqual(failure('INVALID_PARAMS'));
        expect(context.reports).toEqual([]);
        expect(await inventoryVm(small, 'vm-a')).toMatchObject({ state: 'running', memoryMiB: 2048, disks: [{ sizeGiB: 20 }] });
        // The 2048 MiB the VM gives back when it stops count: 4096 MiB fit.
        await expect(edit(small, { memoryMiB: 4096 })).resolves.toMatchObject({ state: 'running', memoryMiB: 4096 });
      });

      it('starts the VM again with its previous settings when the edit fails once it is down, and reports the first error', async () => {
        const slow = await host.otherDriver({ actionDelayMs: 20 });
        await runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', vcpu: 2, memoryMiB: 2048, start: true }));
        const controller = new AbortController();
        const context = watching((percent) => percent === 40 && controller.abort(new Error('job timed out')), controller.signal);

        await expect(edit(slow, { vcpu: 4, memoryMiB: 4096 }, context)).rejects.toEqual(failure('TIMEOUT'));
        expect(context.reports.at(-1)).toEqual({ percent: 90, message: 'The change failed: starting the VM again with its previous settings' });
        expect(await inventoryVm(slow, 'vm-a')).toMatchObject({ state: 'running', vcpu: 2, memoryMiB: 2048 });
        expect(savedRecord(slow, 'vm-a')).toMatchObject({ state: 'running', vcpu: 2, memoryMiB: 2048 });
        expect((await slow.facts()).freeMemoryMiB).toBe(65_536 - 2048);
      });

      it('starts the VM again as it was when another VM took the memory it needed while it was down', async () => {
        const slow = await host.otherDriver({ actionDelayMs: 20, memoryMiB: 8192 });
        await runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', memoryMiB: 2048, start: true }));
        await runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-b', memoryMiB: 6144, start: false }));
        let starting: Promise<unknown> | undefined;
        const context = watching((percent) => {
          if (percent === 40) starting = runVm(slow, 'vm.power', { vmId: 'vm-b', name: 'x', action: 'start' });
        });

        await expect(edit(slow, { memoryMiB: 4096 }, context)).rejects.toEqual(failure('INSUFFICIENT_CAPACITY'));
        await expect(starting).resolves.toMatchObject({ state: 'running' });
        expect(await inventoryVm(slow, 'vm-a')).toMatchObject({ state: 'running', memoryMiB: 2048 });
        expect((await slow.facts()).freeMemoryMiB).toBe(0);
      });

      it('answers a re-run of the same job without a second restart, also after a crash before anything changed', async () => {
        await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', vcpu: 2, start: true }));
        const params: ActionParams<'vm.edit'> = { vmId: 'vm-a', name: 'x', vcpu: 4, restart: true };
        writeSimFaults(host.dataDir, { crash: { 'vm.edit': true } });
        await expect(runVm(driver, 'vm.edit', params)).rejects.toEqual(failure('INTERNAL'));
        expect(await inventoryVm(driver, 'vm-a')).toMatchObject({ state: 'running', vcpu: 2 });

        await expect(runVm(driver, 'vm.edit', params)).resolves.toMatchObject({ state: 'running', vcpu: 4 });
        host.now += 5_000;
        const again = testContext();
        await expect(runVm(driver, 'vm.edit', params, again)).resolves.toMatchObject({ state: 'running', vcpu: 4, uptimeSeconds: 5 });
        expect(again.reports).toEqual([{ percent: 100, message: 'Nothing to change' }]);
      });
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

  describe('cloud-init seed ISO', () => {
    const seed = {
      metaData: 'instance-id: vm-a\nlocal-hostname: café\n',
      userData: '#cloud-config\nusers:\n  - name: zoë\n    passwd: $6$salt$hash\n',
      networkConfig: 'version: 2\n',
    };
    const otherSeed = { metaData: 'instance-id: copy\nlocal-hostname: copy\n', userData: '#cloud-config\nusers:\n  - name: root2\n' };
    const savedRecord = (vmId: string) =>
      (JSON.parse(readFileSync(join(host.dataDir, 'sim-host.json'), 'utf8')) as { vms: SimVmRecord[] }).vms.find((vm) => vm.openhvxVmId === vmId);
    /** Aborts the job once it reports `percent`, i.e. while the step after that report runs. */
    const abortingAt = (percent: number) => {
      const controller = new AbortController();
      const context = testContext(controller.signal);
      context.progress = (reported) => {
        if (reported === percent) controller.abort(new Error('job timed out'));
      };
      return context;
    };

    it('writes the seed to <dataDir>/vms/<vmId>/cidata.iso as a CIDATA volume with the exact files', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', cloudInit: seed }));
      const iso = simSeedIsoPath(host.dataDir, 'vm-a');
      expect(iso).toBe(join(host.dataDir, 'vms', 'vm-a', 'cidata.iso'));
      expect(describeIso(iso)).toMatch(/^Volume id: CIDATA$/m);
      expect(listIso(iso)).toEqual(['/meta-data', '/network-config', '/user-data']);
      expect(readIsoFile(iso, '/meta-data')).toEqual(Buffer.from(seed.metaData, 'utf8'));
      expect(readIsoFile(iso, '/user-data')).toEqual(Buffer.from(seed.userData, 'utf8'));
      expect(readIsoFile(iso, '/network-config')).toEqual(Buffer.from(seed.networkConfig, 'utf8'));
    });

    it('keeps the seed in the saved VM record, across a restart', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', cloudInit: seed }));
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-b' }));
      expect(savedRecord('vm-a')?.cloudInit).toEqual(seed);
      expect(savedRecord('vm-b')?.cloudInit).toBeUndefined();
      await driver.stop();

      await host.driver();
      expect(savedRecord('vm-a')?.cloudInit).toEqual(seed);
      expect(readIsoFile(simSeedIsoPath(host.dataDir, 'vm-a'), '/user-data').toString('utf8')).toBe(seed.userData);
      // A VM without a seed has no folder of its own.
      expect(existsSync(join(host.dataDir, 'vms', 'vm-b'))).toBe(false);
    });

    it('answers a re-run of the same job without writing the seed again', async () => {
      const params = host.createParams({ vmId: 'vm-a', name: 'web-a', cloudInit: seed });
      const first = await runVm(driver, 'vm.create', params);
      const written = statSync(simSeedIsoPath(host.dataDir, 'vm-a')).mtimeMs;
      await new Promise((resolve) => setTimeout(resolve, 20));

      const again = await runVm(driver, 'vm.create', params);
      expect(again.hypervisorId).toBe(first.hypervisorId);
      expect(statSync(simSeedIsoPath(host.dataDir, 'vm-a')).mtimeMs).toBe(written);
      expect(readIsoFile(simSeedIsoPath(host.dataDir, 'vm-a'), '/meta-data').toString('utf8')).toBe(seed.metaData);
    });

    it('leaves no ISO behind when a create fails after writing it', async () => {
      const slow = await host.otherDriver({ actionDelayMs: 50 });
      const dataDir = slow.config.dataDir;
      const creating = runVm(slow, 'vm.create', host.createParams({ vmId: 'vm-a', cloudInit: seed, start: true }), abortingAt(40));
      await expect(creating).rejects.toEqual(failure('TIMEOUT'));
      expect(existsSync(join(dataDir, 'vms', 'vm-a'))).toBe(false);
      expect(await inventoryVm(slow, 'vm-a')).toBeUndefined();
    });

    it('gives a clone its own seed ISO when it brings one; without one it inherits the source seed but no ISO', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'src', name: 'golden', cloudInit: seed }));
      await runVm(driver, 'vm.clone', { source: { vmId: 'src', name: 'golden' }, target: { vmId: 'fresh', name: 'fresh', start: false, cloudInit: otherSeed } });
      await runVm(driver, 'vm.clone', { source: { vmId: 'src', name: 'golden' }, target: { vmId: 'copy', name: 'copy', start: false } });

      const freshIso = simSeedIsoPath(host.dataDir, 'fresh');
      expect(listIso(freshIso)).toEqual(['/meta-data', '/user-data']);
      expect(readIsoFile(freshIso, '/meta-data').toString('utf8')).toBe(otherSeed.metaData);
      expect(savedRecord('fresh')?.cloudInit).toEqual(otherSeed);

      expect(existsSync(join(host.dataDir, 'vms', 'copy'))).toBe(false);
      expect(savedRecord('copy')?.cloudInit).toEqual(seed);
      // The source keeps its own seed.
      expect(readIsoFile(simSeedIsoPath(host.dataDir, 'src'), '/meta-data').toString('utf8')).toBe(seed.metaData);
    });

    it('leaves no ISO behind when a clone fails after writing its seed', async () => {
      const slow = await host.otherDriver({ actionDelayMs: 20 });
      await runVm(slow, 'vm.create', host.createParams({ vmId: 'src', name: 'golden' }));
      const cloning = runVm(slow, 'vm.clone', { source: { vmId: 'src', name: 'golden' }, target: { vmId: 'dst', name: 'copy', start: false, cloudInit: otherSeed } }, abortingAt(60));
      await expect(cloning).rejects.toEqual(failure('TIMEOUT'));
      expect(existsSync(join(slow.config.dataDir, 'vms', 'dst'))).toBe(false);
      expect(await inventoryVm(slow, 'dst')).toBeUndefined();
    });

    it('removes the VM folder and its ISO on vm.delete', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', cloudInit: seed, start: true }));
      await driver.run('vm.delete', { vmId: 'vm-a', name: 'x', force: true }, testContext());
      expect(existsSync(join(host.dataDir, 'vms', 'vm-a'))).toBe(false);
      expect(savedRecord('vm-a')).toBeUndefined();
    });

    it('removes at start-up the folders of VMs it does not have (an agent killed between writing a seed and saving)', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'kept', cloudInit: seed }));
      await driver.stop();
      mkdirSync(join(host.dataDir, 'vms', 'half-made'), { recursive: true });
      writeFileSync(join(host.dataDir, 'vms', 'half-made', 'cidata.iso'), 'partial');

      await host.driver();
      expect(readdirSync(join(host.dataDir, 'vms'))).toEqual(['kept']);
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
