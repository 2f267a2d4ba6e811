import { VmPowerAction } from '../../../../src/contracts/agent-protocol';
import { SimDriver } from './sim-driver';
import { planPowerAction } from './sim-power';
import { SettledVmState } from './sim-state';
import { inventoryVm, runVm, SimTestHost } from './sim-test-host';

type Outcome = SettledVmState | 'INVALID_STATE';

/** Hyper-V's answers, row = state before, column = action; a repeat of the state is an idempotent no-op. */
const TABLE: Record<SettledVmState, Record<VmPowerAction, Outcome>> = {
  off: { start: 'running', stop: 'off', shutdown: 'off', restart: 'INVALID_STATE', pause: 'INVALID_STATE', resume: 'INVALID_STATE', save: 'INVALID_STATE' },
  running: { start: 'running', stop: 'off', shutdown: 'off', restart: 'running', pause: 'paused', resume: 'running', save: 'saved' },
  paused: { start: 'INVALID_STATE', stop: 'off', shutdown: 'INVALID_STATE', restart: 'INVALID_STATE', pause: 'paused', resume: 'running', save: 'saved' },
  saved: {
    start: 'running',
    stop: 'INVALID_STATE',
    shutdown: 'INVALID_STATE',
    restart: 'INVALID_STATE',
    pause: 'INVALID_STATE',
    resume: 'INVALID_STATE',
    save: 'saved',
  },
};

const CASES = Object.entries(TABLE).flatMap(([from, row]) =>
  Object.entries(row).map(([action, outcome]) => [from as SettledVmState, action as VmPowerAction, outcome] as const),
);

describe('vm.power', () => {
  let host: SimTestHost;
  let driver: SimDriver;

  beforeEach(async () => {
    host = await SimTestHost.create();
    driver = await host.driver();
  });
  afterEach(() => host.cleanup());

  async function vmIn(state: SettledVmState): Promise<void> {
    await runVm(driver, 'vm.create', host.createParams({ vmId: 'vm-a', name: 'web', start: state !== 'off' }));
    if (state === 'paused') await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'pause' });
    if (state === 'saved') await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'save' });
  }

  it.each(CASES)('from %s, %s leads to %s', async (from, action, outcome) => {
    await vmIn(from);
    const power = runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action });
    if (outcome === 'INVALID_STATE') {
      await expect(power).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining(`it is ${from}`) });
      expect((await inventoryVm(driver, 'vm-a'))?.state).toBe(from);
    } else {
      await expect(power).resolves.toMatchObject({ state: outcome });
      expect((await inventoryVm(driver, 'vm-a'))?.state).toBe(outcome);
    }
  });

  it('leaves a VM already in the target state untouched, uptime included', async () => {
    await vmIn('running');
    host.now += 60_000;
    const again = await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'start' });
    expect(again.uptimeSeconds).toBe(60);
  });

  it('resets uptime on restart and on a start from saved, but not on resume', async () => {
    await vmIn('running');
    host.now += 60_000;
    expect(await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'restart' })).toMatchObject({ state: 'running', uptimeSeconds: 0 });

    host.now += 30_000;
    await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'pause' });
    host.now += 30_000;
    expect(await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'resume' })).toMatchObject({ uptimeSeconds: 60 });

    await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'save' });
    expect(await inventoryVm(driver, 'vm-a')).toMatchObject({ state: 'saved', uptimeSeconds: 0, nics: [{ ipAddresses: [] }] });
    host.now += 30_000;
    expect(await runVm(driver, 'vm.power', { vmId: 'vm-a', name: 'web', action: 'start' })).toMatchObject({ uptimeSeconds: 0 });
  });

  it('refuses to start or restore a VM whose memory is not free, and frees memory when it stops or saves', async () => {
    const small = await host.otherDriver({ memoryMiB: 4096 });
    await runVm(small, 'vm.create', host.createParams({ vmId: 'a', memoryMiB: 3072, start: true }));
    await runVm(small, 'vm.create', host.createParams({ vmId: 'b', memoryMiB: 2048, start: false }));
    await expect(runVm(small, 'vm.power', { vmId: 'b', name: 'x', action: 'start' })).rejects.toMatchObject({ code: 'INSUFFICIENT_CAPACITY' });

    await runVm(small, 'vm.power', { vmId: 'a', name: 'x', action: 'save' });
    await runVm(small, 'vm.power', { vmId: 'b', name: 'x', action: 'start' });
    await expect(runVm(small, 'vm.power', { vmId: 'a', name: 'x', action: 'start' })).rejects.toMatchObject({ code: 'INSUFFICIENT_CAPACITY' });
    expect((await small.facts()).freeMemoryMiB).toBe(2048);
  });

  it('refuses an unknown VM', async () => {
    await expect(runVm(driver, 'vm.power', { vmId: 'nope', name: 'x', action: 'start' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names the state and what to do in its refusal', () => {
    expect(() => planPowerAction('web', 'saved', 'pause')).toThrow("cannot pause VM 'web': it is saved; start it to restore it, or delete it");
  });
});
