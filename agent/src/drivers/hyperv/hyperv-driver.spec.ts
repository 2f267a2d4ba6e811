import { ActionParams, AgentAction, HostFactsSchema, InventorySchema, InventoryVmSchema } from '../../../../src/contracts/agent-protocol';
import { ActionContext, DriverError } from '../host-driver';
import { HypervDriver } from './hyperv-driver';
import { HypervDriverConfig, HYPERV_DEFAULTS } from './hyperv-driver-config';
import { rawVm } from './test-support/raw-vm-record';
import { StandInHost, StandInScenario } from './test-support/stand-in-host';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const EVIL_NAME = "x'; Remove-VM -Name * -Force; '";

const createParams: ActionParams<'vm.create'> = {
  vmId: 'vm-1',
  name: 'web-1',
  imageFileName: 'ubuntu-24.04.vhdx',
  generation: 2,
  vcpu: 2,
  memoryMiB: 2048,
  diskGiB: 20,
  secureBootTemplate: 'MicrosoftUEFICertificateAuthority',
  start: true,
};

const rawFacts = (datastores: Array<{ Name: string; Path: string; free: number }>) => ({
  Hostname: 'HV01',
  OsCaption: 'Microsoft Windows Server 2025 Datacenter',
  OsVersion: '10.0.26100',
  LogicalProcessorCount: 32,
  MemoryCapacity: 256 * GIB,
  FreePhysicalMemoryKiB: 128 * 1024 * 1024,
  Datastores: datastores.map((d) => ({ Name: d.Name, Path: d.Path, Size: 1000 * GIB, SizeRemaining: d.free * GIB })),
});

describe(HypervDriver.name, () => {
  let host: StandInHost;
  let driver: HypervDriver | undefined;
  let progress: Array<[number, string | undefined]>;

  function context(signal = new AbortController().signal): ActionContext {
    return { jobId: 'job-1', signal, progress: (percent, message) => progress.push([percent, message]) };
  }

  async function open(scenario: StandInScenario = {}, config: Partial<HypervDriverConfig> = {}): Promise<HypervDriver> {
    host.setScenario(scenario);
    driver = new HypervDriver({
      dataDir: 'C:\\ProgramData\\OpenHVX\\agent',
      imageDirs: ['D:\\Images', 'E:\\Images'],
      datastores: [{ name: 'fast', path: 'D:\\VMs' }],
      hostLoopCommand: host.command(),
      startTimeoutMs: 5_000,
      ...config,
    });
    await driver.start();
    return driver;
  }

  async function failure(work: Promise<unknown>): Promise<DriverError> {
    try {
      await work;
    } catch (error) {
      expect(error).toBeInstanceOf(DriverError);
      return error as DriverError;
    }
    throw new Error('expected a DriverError');
  }

  const sent = () => host.requests().map((r) => r.request!);
  const run = <A extends AgentAction>(action: A, params: ActionParams<A>, ctx = context()) => driver!.run(action, params, ctx);

  beforeEach(() => {
    host = new StandInHost({ scriptDir: HYPERV_DEFAULTS.scriptDir });
    progress = [];
  });

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    host.dispose();
  });

  it('fails to start, retryably, on a host where the loop cannot load Hyper-V', async () => {
    const error = await failure(open({ startup: { fail: { message: "The specified module 'Hyper-V' was not loaded", category: 'ResourceUnavailable', fullyQualifiedErrorId: 'Modules_ModuleNotFound' } } }));
    expect(error.code).toBe('HYPERVISOR_ERROR');
    expect(error.message).toContain("'Hyper-V' was not loaded");
  });

  it('reads host facts with the configured datastores and answers them in protocol units', async () => {
    await open({ scripts: { 'host-facts': { result: rawFacts([{ Name: 'fast', Path: 'D:\\VMs', free: 800 }]) } } });
    const facts = await driver!.facts();
    expect(sent()).toEqual([{ id: expect.any(String), script: 'host-facts', params: { Datastores: [{ Name: 'fast', Path: 'D:\\VMs' }] } }]);
    expect(HostFactsSchema.parse(facts)).toEqual({
      hostname: 'HV01',
      os: 'Microsoft Windows Server 2025 Datacenter',
      hypervVersion: '10.0.26100',
      cpuCores: 32,
      memoryMiB: 262_144,
      freeMemoryMiB: 131_072,
      datastores: [{ name: 'fast', path: 'D:\\VMs', totalGiB: 1000, freeGiB: 800 }],
    });
  });

  it('answers host facts for heartbeats while a long action runs, and shares one read between callers', async () => {
    await open({ scripts: { 'vm-create': { delayMs: 1_500, result: rawVm() }, 'host-facts': { delayMs: 100, result: rawFacts([{ Name: 'fast', Path: 'D:\\VMs', free: 800 }]) } } });
    const creating = run('vm.create', createParams);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const [first, second] = await Promise.all([driver!.facts(), driver!.facts()]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(second).toEqual(first);
    expect(sent().map((r) => r.script)).toEqual(['vm-create', 'host-facts']);
    await expect(creating).resolves.toMatchObject({ vm: { openhvxVmId: 'vm-1' } });
  });

  it('reads the inventory from the configured image folders', async () => {
    await open({
      scripts: {
        inventory: {
          result: { Vms: [rawVm(), rawVm({ Id: 'b', Name: 'by-hand', Notes: null, State: 'Off' })], Switches: [{ Name: 'LAN', SwitchType: 'External' }], Images: [{ FileName: 'ubuntu-24.04.vhdx', Size: 2.5 * GIB, FileSize: GIB }] },
        },
      },
    });
    const inventory = InventorySchema.parse(await driver!.inventory());
    expect(sent()[0].params).toEqual({ ImageDirs: ['D:\\Images', 'E:\\Images'] });
    expect(inventory.vms.map((vm) => [vm.name, vm.openhvxVmId, vm.state])).toEqual([
      ['web-1', 'vm-1', 'running'],
      ['by-hand', undefined, 'off'],
    ]);
    expect(inventory.switches).toEqual([{ name: 'LAN', type: 'external' }]);
    expect(inventory.images).toEqual([{ fileName: 'ubuntu-24.04.vhdx', sizeGiB: 2.5 }]);
  });

  it('creates a VM with vm-create: sizes in bytes, its own folder and pipe, progress before and after', async () => {
    await open({ scripts: { 'vm-create': { result: rawVm() } } });
    const output = (await run('vm.create', createParams)) as { vm: unknown };
    expect(sent()).toEqual([
      {
        id: expect.any(String),
        script: 'vm-create',
        params: {
          VmId: 'vm-1',
          Name: 'web-1',
          ImageFileName: 'ubuntu-24.04.vhdx',
          ImageDirs: ['D:\\Images', 'E:\\Images'],
          DatastorePath: 'D:\\VMs',
          Generation: 2,
          ProcessorCount: 2,
          MemoryStartupBytes: 2048 * MIB,
          DiskSizeBytes: 20 * GIB,
          DiskProvisioning: 'copy',
          SwitchName: null,
          SecureBootTemplate: 'MicrosoftUEFICertificateAuthority',
          SeedIsoPath: null,
          ConsolePipePath: '\\\\.\\pipe\\openhvx-vm-1-com1',
          ReserveBytes: 10 * GIB,
          Start: true,
        },
      },
    ]);
    expect(InventoryVmSchema.parse(output.vm)).toMatchObject({ openhvxVmId: 'vm-1', state: 'running', memoryMiB: 2048 });
    expect(progress).toEqual([
      [20, 'Running vm-create'],
      [100, 'vm-create done'],
    ]);
  });

  it('sends a VM name that is PowerShell code as a JSON string only', async () => {
    await open({ scripts: { 'vm-create': { result: rawVm({ Name: EVIL_NAME }) } } });
    const output = (await run('vm.create', { ...createParams, name: EVIL_NAME })) as { vm: { name: string } };
    const [{ raw, request }] = host.requests();
    expect(request!.params.Name).toBe(EVIL_NAME);
    expect(raw.replace(JSON.stringify(EVIL_NAME), '""')).not.toContain('Remove-VM');
    expect(output.vm.name).toBe(EVIL_NAME);
  });

  it('places a VM on the roomiest datastore when the request names none', async () => {
    const datastores = [
      { name: 'fast', path: 'D:\\VMs' },
      { name: 'bulk', path: 'E:\\VMs' },
    ];
    await open(
      {
        scripts: {
          'host-facts': { result: rawFacts([{ Name: 'fast', Path: 'D:\\VMs', free: 100 }, { Name: 'bulk', Path: 'E:\\VMs', free: 900 }]) },
          'vm-create': { result: rawVm() },
        },
      },
      { datastores },
    );
    await run('vm.create', createParams);
    expect(sent().map((r) => r.script)).toEqual(['host-facts', 'vm-create']);
    expect(sent()[1].params.DatastorePath).toBe('E:\\VMs');

    await run('vm.create', { ...createParams, datastore: 'FAST' });
    expect(sent()[2].params.DatastorePath).toBe('D:\\VMs');
    const error = await failure(run('vm.create', { ...createParams, datastore: 'nvme' }));
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toContain("no datastore named 'nvme'");
  });

  it('refuses a cloud-init create clearly until the seed ISO writer exists', async () => {
    await open();
    const error = await failure(run('vm.create', { ...createParams, cloudInit: { metaData: 'instance-id: vm-1', userData: '#cloud-config' } }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('NOT_IMPLEMENTED');
    expect(sent()).toEqual([]);
  });

  it('passes the seed ISO from the writer hook to vm-create', async () => {
    const written: unknown[] = [];
    await open({ scripts: { 'vm-create': { result: rawVm() } } }, {
      writeSeedIso: async (request) => {
        written.push(request);
        return request.path;
      },
    });
    const cloudInit = { metaData: 'instance-id: vm-1', userData: '#cloud-config' };
    await run('vm.create', { ...createParams, cloudInit });
    expect(written).toEqual([{ vmId: 'vm-1', seed: cloudInit, path: 'C:\\ProgramData\\OpenHVX\\agent\\seeds\\vm-1.iso' }]);
    expect(sent()[0].params.SeedIsoPath).toBe('C:\\ProgramData\\OpenHVX\\agent\\seeds\\vm-1.iso');
  });

  it('refuses what Hyper-V cannot do before running anything', async () => {
    await open();
    const cases: Array<[ActionParams<'vm.create'>, RegExp]> = [
      [{ ...createParams, memoryMiB: 1025 }, /multiple of 2 MiB/],
      [{ ...createParams, generation: 1 }, /secure boot is a generation 2 feature/],
      [{ ...createParams, vmId: '..\\..\\Windows' }, /vmId may hold letters, digits/],
      [{ ...createParams, vcpu: 0 }, /vcpu/],
    ];
    for (const [params, message] of cases) {
      const error = await failure(run('vm.create', params));
      expect(error.code).toBe('INVALID_PARAMS');
      expect(error.message).toMatch(message);
    }
    expect(sent()).toEqual([]);
  });

  it('edits, clones and powers VMs with the scripts of those names', async () => {
    await open({ scripts: { 'vm-edit': { result: rawVm() }, 'vm-clone': { result: rawVm({ Notes: 'openhvx:vm-2', Name: 'web-2' }) }, 'vm-power': { result: rawVm({ State: 'Off' }) } } });
    await run('vm.edit', { vmId: 'vm-1', name: 'web-1', memoryMiB: 4096, diskGiB: 40 });
    const cloned = (await run('vm.clone', { source: { vmId: 'vm-1', name: 'web-1' }, target: { vmId: 'vm-2', name: 'web-2', start: false } })) as { vm: { openhvxVmId: string } };
    const powered = (await run('vm.power', { vmId: 'vm-1', name: 'web-1', action: 'shutdown' })) as { vm: { state: string } };
    expect(sent().map((r) => [r.script, r.params])).toEqual([
      ['vm-edit', { VmId: 'vm-1', ProcessorCount: null, MemoryStartupBytes: 4096 * MIB, DiskSizeBytes: 40 * GIB }],
      ['vm-clone', { SourceVmId: 'vm-1', TargetVmId: 'vm-2', TargetName: 'web-2', DatastorePaths: ['D:\\VMs'], ConsolePipePath: '\\\\.\\pipe\\openhvx-vm-2-com1', ReserveBytes: 10 * GIB, Start: false }],
      ['vm-power', { VmId: 'vm-1', Action: 'shutdown' }],
    ]);
    expect(cloned.vm.openhvxVmId).toBe('vm-2');
    expect(powered.vm.state).toBe('off');
  });

  it('deletes with vm-delete, answering the removed VM or null when it was gone', async () => {
    await open({ scripts: { 'vm-delete': [{ result: { Vm: rawVm({ State: 'Off' }) } }, { result: { Vm: null } }] } }, { datastores: [{ name: 'fast', path: 'D:\\VMs' }, { name: 'bulk', path: 'E:\\VMs\\' }] });
    const first = (await run('vm.delete', { vmId: 'vm-1', name: 'web-1', force: true })) as { vm: { state: string } };
    const second = await run('vm.delete', { vmId: 'vm-1', name: 'web-1', force: true });
    expect(first.vm.state).toBe('off');
    expect(second).toEqual({ vm: null });
    expect(sent()[0].params).toEqual({
      VmId: 'vm-1',
      Force: true,
      VmFolders: ['D:\\VMs\\vm-1', 'E:\\VMs\\vm-1'],
      SeedIsoPath: 'C:\\ProgramData\\OpenHVX\\agent\\seeds\\vm-1.iso',
      ImageDirs: ['D:\\Images', 'E:\\Images'],
    });
  });

  it.each<[string, StandInScenario['scripts'], DriverError['code'], boolean]>([
    ['a script refusal', { 'vm-edit': { error: { message: "VM 'web-1' is running; turn it off to change its memory", category: 'InvalidOperation', fullyQualifiedErrorId: 'VM_MUST_BE_OFF' } } }, 'VM_MUST_BE_OFF', false],
    ['a shrink', { 'vm-edit': { error: { message: 'disks only grow', category: 'InvalidOperation', fullyQualifiedErrorId: 'DISK_CANNOT_SHRINK' } } }, 'DISK_CANNOT_SHRINK', false],
    ['a VM mid-transition', { 'vm-edit': { error: { message: 'cannot be performed while the object is in its current state', category: 'InvalidOperation', fullyQualifiedErrorId: 'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMMemory' } } }, 'INVALID_STATE', true],
    ['a WMI failure', { 'vm-edit': { error: { message: 'Generic failure', category: 'NotSpecified', fullyQualifiedErrorId: 'HRESULT 0x80041001', exceptionType: 'Microsoft.Management.Infrastructure.CimException' } } }, 'HYPERVISOR_ERROR', true],
    ['a PowerShell crash', { 'vm-edit': { crash: 1, stderr: 'Process is terminated due to StackOverflowException.' } }, 'HYPERVISOR_ERROR', true],
    ['a malformed result', { 'vm-edit': { result: { Id: 'x', State: 'Running' } } }, 'INTERNAL', false],
    ['a broken answer line', { 'vm-edit': { malformed: '{"id":' } }, 'INTERNAL', false],
  ])('maps %s to a DriverError and keeps working', async (_what, scripts, code, retryable) => {
    await open({ scripts: { ...scripts, 'vm-power': { result: rawVm() } } });
    const error = await failure(run('vm.edit', { vmId: 'vm-1', name: 'web-1', memoryMiB: 4096 }));
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    await expect(run('vm.power', { vmId: 'vm-1', name: 'web-1', action: 'start' })).resolves.toMatchObject({ vm: { state: 'running' } });
  });

  it('reports a job aborted while its script runs as TIMEOUT', async () => {
    await open({ scripts: { 'vm-power': { hang: true } } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(run('vm.power', { vmId: 'vm-1', name: 'web-1', action: 'shutdown' }, context(controller.signal)));
    expect(error.code).toBe('TIMEOUT');
  });

  it('answers host.refresh without a script, and refuses unknown actions', async () => {
    await open();
    await expect(run('host.refresh', {})).resolves.toEqual({});
    const error = await failure(driver!.run('vm.migrate' as AgentAction, {} as never, context()));
    expect(error.code).toBe('UNKNOWN_ACTION');
    expect(sent()).toEqual([]);
  });

  it('connects a VM console to its named pipe', async () => {
    await open({ scripts: { 'vm-console-pipe': { result: { PipePath: '\\\\.\\pipe\\openhvx-vm-1-com1' } } } });
    await expect(driver!.ensureConsolePipe('vm-1')).resolves.toBe('\\\\.\\pipe\\openhvx-vm-1-com1');
    expect(sent()[0].params).toEqual({ VmId: 'vm-1', PipePath: '\\\\.\\pipe\\openhvx-vm-1-com1' });
  });
});
