import { ActionParams, AgentAction, HostFactsSchema, InventorySchema, InventoryVmSchema } from '../../../../src/contracts/agent-protocol';
import { ActionContext, DriverError } from '../host-driver';
import { describeIso, listIso, readIsoFile, withIsoFile } from '../../cloud-init/test-support/isoinfo';
import { HypervDriver } from './hyperv-driver';
import { HypervDriverConfig, HYPERV_DEFAULTS } from './hyperv-driver-config';
import { rawVm } from './test-support/raw-vm-record';
import { PipeServer, until } from './test-support/pipe-server';
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
          SeedIsoFileName: 'cidata.iso',
          SeedIsoBase64: null,
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

  it('sends the cloud-init seed to vm-create as a CIDATA ISO in base64 data, never as script text', async () => {
    await open({ scripts: { 'vm-create': { result: rawVm() } } });
    const cloudInit = { metaData: 'instance-id: vm-1\nlocal-hostname: web-1\n', userData: `#cloud-config\nbootcmd: ["${EVIL_NAME}"]\n# Zoë — 管理者\n`, networkConfig: 'version: 2\n' };
    await run('vm.create', { ...createParams, cloudInit });

    const [{ raw, request }] = host.requests();
    expect(request!.params.SeedIsoFileName).toBe('cidata.iso');
    expect(raw).not.toContain('Remove-VM');
    withIsoFile(Buffer.from(request!.params.SeedIsoBase64 as string, 'base64'), (iso) => {
      expect(describeIso(iso)).toMatch(/^Volume id: CIDATA$/m);
      expect(listIso(iso)).toEqual(['/meta-data', '/network-config', '/user-data']);
      expect(readIsoFile(iso, '/user-data')).toEqual(Buffer.from(cloudInit.userData, 'utf8'));
      expect(readIsoFile(iso, '/meta-data')).toEqual(Buffer.from(cloudInit.metaData, 'utf8'));
    });
  });

  it('gives a clone its own seed ISO only when the request brings one', async () => {
    await open({ scripts: { 'vm-clone': { result: rawVm({ Notes: 'openhvx:vm-2', Name: 'web-2' }) } } });
    const cloudInit = { metaData: 'instance-id: vm-2\nlocal-hostname: web-2\n', userData: '#cloud-config\n' };
    await run('vm.clone', { source: { vmId: 'vm-1', name: 'web-1' }, target: { vmId: 'vm-2', name: 'web-2', start: true, cloudInit } });
    await run('vm.clone', { source: { vmId: 'vm-1', name: 'web-1' }, target: { vmId: 'vm-3', name: 'web-3', start: true } });

    const [withSeed, withoutSeed] = sent();
    withIsoFile(Buffer.from(withSeed.params.SeedIsoBase64 as string, 'base64'), (iso) => {
      expect(listIso(iso)).toEqual(['/meta-data', '/user-data']);
      expect(readIsoFile(iso, '/meta-data').toString('utf8')).toBe(cloudInit.metaData);
    });
    expect(withoutSeed.params).toMatchObject({ TargetVmId: 'vm-3', SeedIsoFileName: 'cidata.iso', SeedIsoBase64: null });
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
    await open({ scripts: { 'vm-edit': { result: { Vm: rawVm(), Restart: 'none' } }, 'vm-clone': { result: rawVm({ Notes: 'openhvx:vm-2', Name: 'web-2' }) }, 'vm-power': { result: rawVm({ State: 'Off' }) } } });
    await run('vm.edit', { vmId: 'vm-1', name: 'web-1', memoryMiB: 4096, diskGiB: 40 });
    const cloned = (await run('vm.clone', { source: { vmId: 'vm-1', name: 'web-1' }, target: { vmId: 'vm-2', name: 'web-2', start: false } })) as { vm: { openhvxVmId: string } };
    const powered = (await run('vm.power', { vmId: 'vm-1', name: 'web-1', action: 'shutdown' })) as { vm: { state: string } };
    expect(sent().map((r) => [r.script, r.params])).toEqual([
      ['vm-edit', { VmId: 'vm-1', ProcessorCount: null, MemoryStartupBytes: 4096 * MIB, DiskSizeBytes: 40 * GIB, Restart: false, ShutdownTimeoutSeconds: 120 }],
      [
        'vm-clone',
        { SourceVmId: 'vm-1', TargetVmId: 'vm-2', TargetName: 'web-2', DatastorePaths: ['D:\\VMs'], ConsolePipePath: '\\\\.\\pipe\\openhvx-vm-2-com1', ReserveBytes: 10 * GIB, Start: false, SeedIsoFileName: 'cidata.iso', SeedIsoBase64: null },
      ],
      ['vm-power', { VmId: 'vm-1', Action: 'shutdown' }],
    ]);
    expect(cloned.vm.openhvxVmId).toBe('vm-2');
    expect(powered.vm.state).toBe('off');
  });

  describe('vm.edit with restart', () => {
    const editParams: ActionParams<'vm.edit'> = { vmId: 'vm-1', name: 'web-1', vcpu: 4, memoryMiB: 4096, restart: true };
    const edited = (restart: string) => ({ result: { Vm: rawVm({ ProcessorCount: 4, MemoryStartup: 4096 * MIB }), Restart: restart } });

    it('sends Restart and the guest shutdown bound, and says how the VM went down and came back', async () => {
      await open({ scripts: { 'vm-edit': [edited('shutdown'), edited('turn-off'), edited('none')] } }, { guestShutdownTimeoutMs: 90_000 });
      const reports: Array<typeof progress> = [];
      for (let i = 0; i < 3; i++) {
        progress = [];
        await expect(run('vm.edit', editParams)).resolves.toMatchObject({ vm: { state: 'running', vcpu: 4, memoryMiB: 4096 } });
        reports.push(progress);
      }
      expect(sent()[0].params).toEqual({ VmId: 'vm-1', ProcessorCount: 4, MemoryStartupBytes: 4096 * MIB, DiskSizeBytes: null, Restart: true, ShutdownTimeoutSeconds: 90 });
      const before = [0, 'A change that needs the VM off shuts it down (the guest has 90 s, then the VM is turned off), is applied, and the VM is started again'];
      expect(reports).toEqual([
        [before, [5, 'Running vm-edit'], [95, 'vm-edit done'], [100, 'The guest shut down; the VM was changed and started again']],
        [before, [5, 'Running vm-edit'], [95, 'vm-edit done'], [100, 'The guest did not shut down within 90 s, so the VM was turned off, changed and started again']],
        [before, [5, 'Running vm-edit'], [95, 'vm-edit done'], [100, 'Done without a restart: no change needed the VM off']],
      ]);
    });

    it('lets a restarting edit run to its end when the job is aborted, so PowerShell is not killed with the VM down', async () => {
      await open({ scripts: { 'vm-edit': { delayMs: 600, ...edited('shutdown') } } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      // A killed session would have rejected with TIMEOUT; the script's own answer arrives instead.
      await expect(run('vm.edit', editParams, context(controller.signal))).resolves.toMatchObject({ vm: { vcpu: 4 } });
      expect(controller.signal.aborted).toBe(true);

      // Without restart an aborted edit is killed as every other script is.
      const aborting = new AbortController();
      setTimeout(() => aborting.abort(), 100);
      expect((await failure(run('vm.edit', { ...editParams, restart: false }, context(aborting.signal)))).code).toBe('TIMEOUT');
    });

    it('reports a refusal of the script (a paused VM) with its code', async () => {
      await open({ scripts: { 'vm-edit': { error: { message: "VM 'web-1' is paused; turn it off to change its processor count", category: 'InvalidOperation', fullyQualifiedErrorId: 'VM_MUST_BE_OFF' } } } });
      const error = await failure(run('vm.edit', editParams));
      expect({ code: error.code, message: error.message }).toEqual({ code: 'VM_MUST_BE_OFF', message: "vm-edit: VM 'web-1' is paused; turn it off to change its processor count" });
    });
  });

  describe('vm.adopt', () => {
    const hypervisorId = '5d3a7f0e-8f1c-4a3e-9b52-2f0c1a6d9e01';

    it('adopts with vm-adopt: the Hyper-V id and the console pipe travel as data, the marked VM comes back', async () => {
      await open({ scripts: { 'vm-adopt': { result: rawVm({ Name: 'legacy-db', Notes: 'openhvx:vm-9\r\nowner: db team', State: 'Off' }) } } });
      const output = (await run('vm.adopt', { vmId: 'vm-9', name: 'legacy-db', hypervisorId })) as { vm: unknown };
      expect(sent()).toEqual([{ id: expect.any(String), script: 'vm-adopt', params: { VmId: 'vm-9', HypervisorId: hypervisorId, PipePath: '\\\\.\\pipe\\openhvx-vm-9-com1' } }]);
      expect(InventoryVmSchema.parse(output.vm)).toMatchObject({ hypervisorId, name: 'legacy-db', openhvxVmId: 'vm-9', state: 'off' });
      expect(progress).toEqual([
        [0, 'Running vm-adopt'],
        [100, 'vm-adopt done'],
      ]);
    });

    it('refuses a hypervisorId that is not a GUID without running anything', async () => {
      await open();
      const error = await failure(run('vm.adopt', { vmId: 'vm-9', name: 'x', hypervisorId: "x'; Remove-VM -Name * -Force; '" }));
      expect(error.code).toBe('INVALID_PARAMS');
      expect(sent()).toEqual([]);
    });

    it('maps the script refusals, and fails a VM answered without the marker as INTERNAL', async () => {
      const refusal = (fullyQualifiedErrorId: string, message: string) => ({ error: { message, category: 'InvalidOperation', fullyQualifiedErrorId } });
      await open({
        scripts: {
          'vm-adopt': [
            refusal('NOT_FOUND', `there is no VM with id ${hypervisorId} on this host`),
            refusal('INVALID_PARAMS', "vmId vm-9 already belongs to VM 'web-1' on this host"),
            { result: rawVm({ Notes: 'openhvx:someone-else' }) },
          ],
        },
      });
      const adopt = () => run('vm.adopt', { vmId: 'vm-9', name: 'x', hypervisorId });
      expect((await failure(adopt())).code).toBe('NOT_FOUND');
      expect((await failure(adopt())).code).toBe('INVALID_PARAMS');
      const lost = await failure(adopt());
      expect({ code: lost.code, message: lost.message }).toEqual({ code: 'INTERNAL', message: "vm-adopt answered VM 'web-1' without the marker openhvx:vm-9" });
    });
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
      ImageDirs: ['D:\\Images', 'E:\\Images'],
    });
  });

  it.each<[string, StandInScenario['scripts'], DriverError['code'], boolean]>([
    ['a script refusal', { 'vm-edit': { error: { message: "VM 'web-1' is running; turn it off to change its memory", category: 'InvalidOperation', fullyQualifiedErrorId: 'VM_MUST_BE_OFF' } } }, 'VM_MUST_BE_OFF', false],
    ['a shrink', { 'vm-edit': { error: { message: 'disks only grow', category: 'InvalidOperation', fullyQualifiedErrorId: 'DISK_CANNOT_SHRINK' } } }, 'DISK_CANNOT_SHRINK', false],
    ['a VM mid-transition', { 'vm-edit': { error: { message: 'cannot be performed while the object is in its current state', category: 'InvalidOperation', fullyQualifiedErrorId: 'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMMemory' } } }, 'INVALID_STATE', true],
    ['a WMI failure', { 'vm-edit': { error: { message: 'Generic failure', category: 'NotSpecified', fullyQualifiedErrorId: 'HRESULT 0x80041001', exceptionType: 'Microsoft.Management.Infrastructure.CimException' } } }, 'HYPERVISOR_ERROR', true],
    ['a PowerShell crash', { 'vm-edit': { crash: 1, stderr: 'Process is terminated due to StackOverflowException.' } }, 'HYPERVISOR_ERROR', true],
    ['a malformed result', { 'vm-edit': { result: { Vm: { Id: 'x', State: 'Running' }, Restart: 'none' } } }, 'INTERNAL', false],
    ['an unknown restart outcome', { 'vm-edit': { result: { Vm: rawVm(), Restart: 'rebooted' } } }, 'INTERNAL', false],
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

  describe('serial console', () => {
    let pipe: PipeServer;
    let output: string;
    let ends: Array<[string, string]>;
    const handlers = () => ({ onData: (data: Buffer) => (output += data.toString()), onEnd: (reason: string, message: string) => ends.push([reason, message]) });

    beforeEach(async () => {
      pipe = new PipeServer();
      await pipe.start();
      output = '';
      ends = [];
    });
    afterEach(() => pipe.dispose());

    // The stand-in answers the path of a Unix socket where Hyper-V would answer the named pipe's.
    const pipeScenario = (): StandInScenario => ({ scripts: { 'vm-console-pipe': { result: { PipePath: pipe.path } } } });

    it('connects COM1 to its pipe with vm-console-pipe, then relays the pipe both ways', async () => {
      await open(pipeScenario());
      const stream = await driver!.openSerial({ vmId: 'vm-1', hypervisorId: null }, handlers());
      expect(sent()).toEqual([{ id: expect.any(String), script: 'vm-console-pipe', params: { VmId: 'vm-1', PipePath: '\\\\.\\pipe\\openhvx-vm-1-com1' } }]);
      await until(() => pipe.connections === 1);
      pipe.print('login: ');
      stream.write(Buffer.from('root\n'));
      await until(() => output === 'login: ' && pipe.received === 'root\n');
      expect([output, pipe.received]).toEqual(['login: ', 'root\n']);
      stream.close();
    });

    it('rejects NOT_FOUND when no VM on the host carries the marker', async () => {
      await open({ scripts: { 'vm-console-pipe': { error: { message: 'no VM with marker openhvx:vm-9 on this host', category: 'InvalidOperation', fullyQualifiedErrorId: 'NOT_FOUND' } } } });
      const error = await failure(driver!.openSerial({ vmId: 'vm-9', hypervisorId: null }, handlers()));
      expect(error.code).toBe('NOT_FOUND');
    });

    it("ends a VM's stream when vm.delete removes the VM, and every stream when the driver stops", async () => {
      await open({ scripts: { ...pipeScenario().scripts, 'vm-delete': { result: { Vm: null } } } });
      const endsOf: Record<string, string[]> = { 'vm-1': [], 'vm-2': [] };
      for (const vmId of ['vm-1', 'vm-2']) {
        await driver!.openSerial({ vmId, hypervisorId: null }, { onData: () => undefined, onEnd: (reason) => endsOf[vmId].push(reason) });
      }
      await run('vm.delete', { vmId: 'vm-1', name: 'web-1', force: true });
      expect(endsOf).toEqual({ 'vm-1': ['vm-deleted'], 'vm-2': [] });

      await driver!.stop();
      expect(endsOf).toEqual({ 'vm-1': ['vm-deleted'], 'vm-2': ['agent-stopping'] });
    });
  });
});
