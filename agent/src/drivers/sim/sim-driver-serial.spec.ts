import { ConsoleEndReason } from '../../../../src/contracts/agent-protocol';
import { hashPassword } from '../../../../src/contracts/sha512-crypt';
import { SerialStream } from '../host-driver';
import { SimDriver } from './sim-driver';
import { inventoryVm, runVm, SimTestHost } from './sim-test-host';

const SEED = {
  metaData: 'instance-id: i-serial\nlocal-hostname: db\n',
  userData: `#cloud-config\nhostname: db\nusers:\n  - default\n  - name: carol\n    passwd: "${hashPassword('pw-carol')}"\n    lock_passwd: false\n`,
};

/** A console on a sim VM's COM1, collecting what the guest prints. */
async function attach(driver: SimDriver, vmId: string) {
  let text = '';
  const ended: { reason: ConsoleEndReason; message: string }[] = [];
  const stream: SerialStream = await driver.openSerial({ vmId, hypervisorId: null }, { onData: (data) => (text += data.toString()), onEnd: (reason, message) => ended.push({ reason, message }) });
  return {
    stream,
    ended,
    type: (input: string) => stream.write(Buffer.from(input)),
    take: () => {
      const taken = text;
      text = '';
      return taken;
    },
  };
}

describe(`${SimDriver.name} serial console`, () => {
  let host: SimTestHost;
  let driver: SimDriver;

  beforeEach(async () => {
    host = await SimTestHost.create();
    driver = await host.driver();
  });
  afterEach(() => host.cleanup());

  async function runningVm(): Promise<string> {
    const params = host.createParams({ start: true, cloudInit: SEED });
    await runVm(driver, 'vm.create', params);
    return params.vmId;
  }

  it('answers NOT_FOUND for a VM the host does not have', async () => {
    await expect(driver.openSerial({ vmId: 'nope', hypervisorId: null }, { onData: () => undefined, onEnd: () => undefined })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("a guest's poweroff turns the VM off for real and tells the agent to report inventory", async () => {
    const vmId = await runningVm();
    const changes: number[] = [];
    driver.onInventoryChange(() => changes.push(1));
    const console = await attach(driver, vmId);
    console.type('\rcarol\rpw-carol\r');
    expect(console.take().endsWith('carol@db:~$ ')).toBe(true);
    console.type('poweroff\r');
    expect(console.take()).toContain('reboot: Power down');
    expect(await inventoryVm(driver, vmId)).toMatchObject({ state: 'off', uptimeSeconds: 0 });
    expect(changes).toHaveLength(1);

    // Started again through the API: the boot log appears on the console that stayed open.
    await runVm(driver, 'vm.power', { vmId, name: 'web-1', action: 'start' });
    const boot = console.take();
    expect(boot).toContain('Linux version');
    expect(boot.endsWith('db login: ')).toBe(true);
  });

  it('reboot from the guest starts it again: uptime restarts and the boot log plays', async () => {
    const vmId = await runningVm();
    const console = await attach(driver, vmId);
    console.type('\rcarol\rpw-carol\r');
    host.now += 60_000;
    expect((await inventoryVm(driver, vmId))?.uptimeSeconds).toBe(60);
    console.take();
    console.type('reboot\r');
    const output = console.take();
    expect(output).toContain('reboot: Restarting system');
    expect(output.indexOf('Linux version')).toBeGreaterThan(output.indexOf('reboot: Restarting system'));
    expect(output.endsWith('db login: ')).toBe(true);
    expect(await inventoryVm(driver, vmId)).toMatchObject({ state: 'running', uptimeSeconds: 0 });
  });

  it('follows power actions: a shutdown prints the way down, pause holds the guest, resume continues', async () => {
    const vmId = await runningVm();
    const console = await attach(driver, vmId);
    await runVm(driver, 'vm.power', { vmId, name: 'web-1', action: 'pause' });
    console.type('\r');
    expect(console.take()).toBe('');
    await runVm(driver, 'vm.power', { vmId, name: 'web-1', action: 'resume' });
    expect(console.take()).toBe('\r\ndb login: ');
    await runVm(driver, 'vm.power', { vmId, name: 'web-1', action: 'shutdown' });
    expect(console.take()).toContain('reboot: Power down');
    console.type('\r');
    expect(console.take()).toBe('');
  });

  it('ends the stream when the VM is deleted', async () => {
    const vmId = await runningVm();
    const console = await attach(driver, vmId);
    await runVm(driver, 'vm.delete', { vmId, name: 'web-1', force: true });
    expect(console.ended).toEqual([{ reason: 'vm-deleted', message: 'The VM was deleted' }]);
  });

  it('holds output while paused and delivers it in order on resume', async () => {
    const vmId = await runningVm();
    const console = await attach(driver, vmId);
    console.stream.pause();
    console.type('\r');
    expect(console.take()).toBe('');
    console.stream.resume();
    expect(console.take()).toBe('\r\ndb login: ');
  });
});
