import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimDriver } from './sim-driver';
import { SIM_FAULTS_FILE, SimFaultInjector, writeSimFaults } from './sim-faults';
import { inventoryVm, runVm, SimTestHost, testContext } from './sim-test-host';

describe(SimFaultInjector.name, () => {
  let host: SimTestHost;
  let driver: SimDriver;
  let onCrash: jest.Mock;

  beforeEach(async () => {
    host = await SimTestHost.create();
    onCrash = jest.fn();
    driver = await host.driver({ onCrash });
  });
  afterEach(() => host.cleanup());

  const readFaults = async () => JSON.parse(await readFile(join(host.dataDir, SIM_FAULTS_FILE), 'utf8')) as unknown;

  it('injects nothing when there is no fault file', async () => {
    await expect(runVm(driver, 'vm.create', host.createParams())).resolves.toMatchObject({ state: 'off' });
    expect(driver.isSilent()).toBe(false);
  });

  describe('fail', () => {
    it('fails the next N runs of the action with HYPERVISOR_ERROR, consuming the count in the file', async () => {
      writeSimFaults(host.dataDir, { fail: { 'vm.create': { count: 2 } } });

      await expect(runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a' }))).rejects.toMatchObject({ code: 'HYPERVISOR_ERROR', retryable: false });
      expect(await readFaults()).toEqual({ fail: { 'vm.create': { count: 1 } } });
      // Other actions are not affected.
      await expect(driver.run('host.refresh', {}, testContext())).resolves.toEqual({});
      await expect(runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a' }))).rejects.toMatchObject({ code: 'HYPERVISOR_ERROR' });
      expect(await readFaults()).toEqual({ fail: {} });

      await expect(runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a' }))).resolves.toMatchObject({ openhvxVmId: 'vm-a' });
    });

    it('uses the code, message and retryable flag the test asked for, and changes nothing', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a' }));
      writeSimFaults(host.dataDir, { fail: { 'vm.power': { count: 1, code: 'TIMEOUT', message: 'WMI did not answer', retryable: true } } });

      await expect(runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'start' })).rejects.toMatchObject({
        name: 'DriverError',
        code: 'TIMEOUT',
        message: 'WMI did not answer',
        retryable: true,
      });
      expect((await inventoryVm(driver, 'vm-a'))?.state).toBe('off');
    });

    it('reports a malformed fault file as INTERNAL rather than ignoring it', async () => {
      await writeFile(join(host.dataDir, SIM_FAULTS_FILE), JSON.stringify({ fails: { 'vm.create': { count: 1 } } }));
      await expect(runVm(driver, 'vm.create', host.createParams())).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('fails') });
      await writeFile(join(host.dataDir, SIM_FAULTS_FILE), '{ "fail": ');
      await expect(runVm(driver, 'vm.create', host.createParams())).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('not valid JSON') });
    });
  });

  describe('crash', () => {
    it('calls onCrash after the first progress report, clears the flag and saves nothing', async () => {
      writeSimFaults(host.dataDir, { crash: { 'vm.create': true } });
      const context = testContext();
      let atCrash: unknown;
      onCrash.mockImplementation(() => {
        atCrash = { reports: context.reports.length, faults: JSON.parse(readFileSync(join(host.dataDir, SIM_FAULTS_FILE), 'utf8')) };
      });

      await expect(runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web-a', start: true }), context)).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      expect(onCrash).toHaveBeenCalledTimes(1);
      // Mid-action, and the flag is already gone when the process would die.
      expect(atCrash).toEqual({ reports: 1, faults: { crash: {} } });

      // The restarted agent has no trace of the VM and completes the re-run of the job.
      const restarted = await host.driver({ onCrash });
      expect(await inventoryVm(restarted, 'vm-a')).toBeUndefined();
      await expect(runVm(restarted, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web-a', start: true }))).resolves.toMatchObject({ state: 'running' });
      expect(onCrash).toHaveBeenCalledTimes(1);
    });

    it('leaves a VM in its previous state when a power action crashes', async () => {
      await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', start: true }));
      writeSimFaults(host.dataDir, { crash: { 'vm.power': true }, fail: { 'vm.delete': { count: 3 } } });

      await expect(runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'x', action: 'stop' })).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(await readFaults()).toEqual({ crash: {}, fail: { 'vm.delete': { count: 3 } } });
      const restarted = await host.driver({ onCrash });
      expect((await inventoryVm(restarted, 'vm-a'))?.state).toBe('running');
    });

    it('kills the process by default, like a killed host agent', () => {
      const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
      try {
        new SimDriver({ dataDir: host.dataDir, hostname: 'h' }).config.onCrash();
        expect(exit).toHaveBeenCalledWith(137);
      } finally {
        exit.mockRestore();
      }
    });
  });

  describe('silent', () => {
    it('follows the flag in the file as tests flip it', () => {
      expect(driver.isSilent()).toBe(false);
      writeSimFaults(host.dataDir, { silent: true });
      expect(driver.isSilent()).toBe(true);
      writeSimFaults(host.dataDir, { silent: false });
      expect(driver.isSilent()).toBe(false);
      writeSimFaults(host.dataDir, { silent: true, fail: {} });
      expect(driver.isSilent()).toBe(true);
    });

    it('belongs to one host only', async () => {
      const other = await host.otherDriver();
      writeSimFaults(host.dataDir, { silent: true });
      expect(driver.isSilent()).toBe(true);
      expect(other.isSilent()).toBe(false);
    });
  });
});
