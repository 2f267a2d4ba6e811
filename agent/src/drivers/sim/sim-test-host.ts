import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionParams, AgentAction, InventoryVm } from '../../../../src/contracts/agent-protocol';
import { ActionContext } from '../host-driver';
import { SimConfig } from './sim-config';
import { SimDriver } from './sim-driver';
import { SIM_STATE_FILE, SimVmRecord } from './sim-state';

function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'openhvx-sim-'));
}

/** Test fixtures for the sim specs: real files in a fresh temp dir, a settable clock, recorded progress. */
export class SimTestHost {
  /** The fake time the drivers read; tests move it forward to age VMs. */
  now = Date.UTC(2026, 0, 1);
  readonly drivers: SimDriver[] = [];
  private vmCounter = 0;

  private readonly extraDirs: string[] = [];

  private constructor(readonly dataDir: string) {}

  static async create(): Promise<SimTestHost> {
    return new SimTestHost(await tempDir());
  }

  /** A started driver on this host's dataDir; immediate actions unless the test asks for timings. */
  async driver(overrides: Partial<SimConfig> = {}): Promise<SimDriver> {
    const driver = new SimDriver({
      dataDir: this.dataDir,
      hostname: 'sim-test-01',
      actionDelayMs: 0,
      clock: () => this.now,
      onCrash: () => undefined,
      ...overrides,
    });
    await driver.start();
    this.drivers.push(driver);
    return driver;
  }

  /** Another simulated host with its own dataDir (and this host's clock), cleaned up with this one. */
  async otherDriver(overrides: Partial<SimConfig> = {}): Promise<SimDriver> {
    const dataDir = await tempDir();
    this.extraDirs.push(dataDir);
    return this.driver({ dataDir, ...overrides });
  }

  /** Another simulated host whose sim-host.json already holds `vms` when its driver starts. */
  async otherDriverWithVms(vms: SimVmRecord[], overrides: Partial<SimConfig> = {}): Promise<SimDriver> {
    const dataDir = await tempDir();
    this.extraDirs.push(dataDir);
    await writeFile(join(dataDir, SIM_STATE_FILE), JSON.stringify({ version: 1, vms }));
    return this.driver({ dataDir, ...overrides });
  }

  /** A VM as an operator makes it in Hyper-V Manager: off, and without an OpenHVX marker. */
  handMadeVm(overrides: Partial<SimVmRecord> = {}): SimVmRecord {
    return {
      hypervisorId: randomUUID(),
      name: 'made-by-hand',
      state: 'off',
      generation: 2,
      vcpu: 2,
      memoryMiB: 2048,
      datastore: 'D',
      disks: [{ path: 'D:\\Hyper-V\\made-by-hand.vhdx', sizeGiB: 40, usedGiB: 12 }],
      nics: [{ switchName: 'Default Switch', macAddress: '00:15:5D:0A:0B:0C', ipAddress: '10.9.9.9' }],
      startedAt: null,
      ...overrides,
    };
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d.stop()));
    await Promise.all([this.dataDir, ...this.extraDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  }

  createParams(overrides: Partial<ActionParams<'vm.create'>> = {}): ActionParams<'vm.create'> {
    const n = ++this.vmCounter;
    return {
      vmId: `vm-${n}`,
      name: `web-${n}`,
      imageFileName: 'ubuntu-24.04.vhdx',
      generation: 2,
      vcpu: 2,
      memoryMiB: 2048,
      diskGiB: 20,
      start: false,
      ...overrides,
    };
  }
}

export interface RecordedContext extends ActionContext {
  readonly reports: { percent: number; message?: string }[];
}

export function testContext(signal: AbortSignal = new AbortController().signal): RecordedContext {
  const reports: { percent: number; message?: string }[] = [];
  return { jobId: 'job-1', signal, reports, progress: (percent, message) => reports.push({ percent, message }) };
}

/** Runs a VM action and answers the VM it reports. */
export async function runVm<A extends AgentAction>(driver: SimDriver, action: A, params: ActionParams<A>, context = testContext()): Promise<InventoryVm> {
  const output = (await driver.run(action, params, context)) as { vm: InventoryVm };
  return output.vm;
}

/** The VM as the next inventory reports it, or undefined. */
export async function inventoryVm(driver: SimDriver, vmId: string): Promise<InventoryVm | undefined> {
  return (await driver.inventory()).vms.find((vm) => vm.openhvxVmId === vmId);
}
