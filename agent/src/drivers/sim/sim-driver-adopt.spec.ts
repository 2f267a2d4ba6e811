import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryVmSchema } from '../../../../src/contracts/agent-protocol';
import { readIsoFile } from '../../cloud-init/test-support/isoinfo';
import { SimDriver, simSeedIsoPath } from './sim-driver';
import { SimVmRecord } from './sim-state';
import { inventoryVm, runVm, SimTestHost, testContext } from './sim-test-host';

describe(`${SimDriver.name} vm.adopt`, () => {
  let host: SimTestHost;

  beforeEach(async () => {
    host = await SimTestHost.create();
  });
  afterEach(() => host.cleanup());

  const failure = (code: string) => expect.objectContaining({ name: 'DriverError', code });
  const savedRecords = (on: SimDriver) => (JSON.parse(readFileSync(join(on.config.dataDir, 'sim-host.json'), 'utf8')) as { vms: SimVmRecord[] }).vms;

  it('marks a VM made outside OpenHVX so that later actions find it by its new vmId, across a restart', async () => {
    const handMade = host.handMadeVm({ hypervisorId: '7A1B2C3D-0000-4000-8000-00000000A001', name: 'legacy-db' });
    const driver = await host.otherDriverWithVms([handMade]);
    expect((await driver.inventory()).vms).toEqual([expect.not.objectContaining({ openhvxVmId: expect.anything() })]);
    await expect(runVm(driver, 'vm.power', { vmId: 'adopted', name: 'legacy-db', action: 'start' })).rejects.toEqual(failure('NOT_FOUND'));

    // Hyper-V ids are GUIDs: their case means nothing.
    const adopted = InventoryVmSchema.parse(await runVm(driver, 'vm.adopt', { vmId: 'adopted', name: 'legacy-db', hypervisorId: handMade.hypervisorId.toLowerCase() }));
    expect(adopted).toMatchObject({ hypervisorId: handMade.hypervisorId, name: 'legacy-db', openhvxVmId: 'adopted', state: 'off', vcpu: 2, memoryMiB: 2048 });
    await expect(runVm(driver, 'vm.power', { vmId: 'adopted', name: 'legacy-db', action: 'start' })).resolves.toMatchObject({ state: 'running' });
    expect(savedRecords(driver)).toEqual([expect.objectContaining({ hypervisorId: handMade.hypervisorId, openhvxVmId: 'adopted', state: 'running' })]);

    await driver.stop();
    const restarted = await host.driver({ dataDir: driver.config.dataDir });
    expect(await inventoryVm(restarted, 'adopted')).toMatchObject({ hypervisorId: handMade.hypervisorId, state: 'running' });
  });

  it('answers NOT_FOUND for a hypervisorId the host does not have', async () => {
    const driver = await host.otherDriverWithVms([host.handMadeVm()]);
    await expect(runVm(driver, 'vm.adopt', { vmId: 'adopted', name: 'x', hypervisorId: '00000000-0000-4000-8000-000000000000' })).rejects.toEqual(failure('NOT_FOUND'));
  });

  it('answers the VM again, changing nothing, when it already carries the vmId (a re-run)', async () => {
    const handMade = host.handMadeVm();
    const driver = await host.otherDriverWithVms([handMade]);
    const params = { vmId: 'adopted', name: 'made-by-hand', hypervisorId: handMade.hypervisorId };
    const first = await runVm(driver, 'vm.adopt', params);
    const again = testContext();
    await expect(runVm(driver, 'vm.adopt', params, again)).resolves.toEqual(first);
    expect(again.reports).toEqual([{ percent: 100, message: "VM 'made-by-hand' already is OpenHVX VM adopted" }]);
  });

  it('replaces a marker that names another vmId, and the VM folder (its seed ISO) follows the new vmId', async () => {
    const driver = await host.driver();
    const seed = { metaData: 'instance-id: old\n', userData: '#cloud-config\n' };
    const orphan = await runVm(driver, 'vm.create', host.createParams({ vmId: 'old-record', name: 'orphan', cloudInit: seed }));

    const adopted = await runVm(driver, 'vm.adopt', { vmId: 'new-record', name: 'orphan', hypervisorId: orphan.hypervisorId });
    expect(adopted).toMatchObject({ hypervisorId: orphan.hypervisorId, openhvxVmId: 'new-record' });
    await expect(runVm(driver, 'vm.power', { vmId: 'old-record', name: 'x', action: 'start' })).rejects.toEqual(failure('NOT_FOUND'));
    expect(existsSync(join(host.dataDir, 'vms', 'old-record'))).toBe(false);
    expect(readIsoFile(simSeedIsoPath(host.dataDir, 'new-record'), '/meta-data').toString('utf8')).toBe(seed.metaData);

    // Start-up removes folders of vmIds the host does not have; the moved one stays.
    await driver.stop();
    await host.driver();
    expect(existsSync(simSeedIsoPath(host.dataDir, 'new-record'))).toBe(true);
  });

  it('refuses a vmId another VM on the host carries, and changes neither VM', async () => {
    const handMade = host.handMadeVm();
    const driver = await host.otherDriverWithVms([handMade]);
    await runVm(driver, 'vm.create', host.createParams({ vmId: 'taken', name: 'web' }));
    await expect(runVm(driver, 'vm.adopt', { vmId: 'taken', name: 'made-by-hand', hypervisorId: handMade.hypervisorId })).rejects.toEqual(failure('INVALID_PARAMS'));
    expect(await inventoryVm(driver, 'taken')).toMatchObject({ name: 'web' });
    expect((await driver.inventory()).vms.find((vm) => vm.hypervisorId === handMade.hypervisorId)?.openhvxVmId).toBeUndefined();
  });

  it('refuses while another action works on the VM, retryably', async () => {
    const slow = await host.otherDriver({ actionDelayMs: 30 });
    const vm = await runVm(slow, 'vm.create', host.createParams({ vmId: 'old-record', start: true }));
    const stopping = runVm(slow, 'vm.power', { vmId: 'old-record', name: 'x', action: 'shutdown' });
    await expect(runVm(slow, 'vm.adopt', { vmId: 'new-record', name: 'x', hypervisorId: vm.hypervisorId })).rejects.toEqual(
      expect.objectContaining({ code: 'INVALID_STATE', retryable: true }),
    );
    await expect(stopping).resolves.toMatchObject({ openhvxVmId: 'old-record', state: 'off' });
  });

  it('refuses to start on a state file where two VMs share a hypervisorId or a vmId', async () => {
    const twin = host.handMadeVm({ openhvxVmId: 'same' });
    await expect(host.otherDriverWithVms([twin, { ...twin, hypervisorId: 'another-id' }])).rejects.toThrow(/two VMs carry openhvxVmId same/);
    await expect(host.otherDriverWithVms([twin, { ...twin, openhvxVmId: undefined }])).rejects.toThrow(/two VMs have hypervisorId/);
  });
});
