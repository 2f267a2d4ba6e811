import { ActionParams, AgentAction, ConsoleEndReason, HostFacts, Inventory, VmActionOutput, VmDeleteOutput } from '../../../../src/contracts/agent-protocol';
import { buildNoCloudSeedIso, CloudInitSeed } from '../../cloud-init/nocloud-seed-iso';
import { ActionContext, DriverError, HostDriver, isAgentAction, parseActionParams, SerialHandlers, SerialStream, SerialTarget } from '../host-driver';
import { HypervDriverConfig, ResolvedHypervConfig, resolveHypervConfig } from './hyperv-driver-config';
import {
  DatastoreRef,
  HypervScript,
  hostFactsParams,
  inventoryParams,
  vmAdoptParams,
  vmCloneParams,
  vmConsolePipeParams,
  vmCreateParams,
  vmDeleteParams,
  vmEditParams,
  vmPowerParams,
  VM_ID_PATTERN,
} from './hyperv-script-params';
import { EditRestart, mapHostFacts, mapInventory, mapVm, parseScriptOutput, RawConsolePipeSchema, RawDeleteSchema, RawEditSchema } from './map-script-output';
import { mapHypervError } from './map-hyperv-error';
import { PipeSerialStream } from './hyperv-serial';
import { PowerShellSession } from './powershell-session';

/** Where a step of an action sits in its progress, from its start to its end. */
interface Span {
  from: number;
  to: number;
}

/** Hyper-V's VM id, as Get-VM (and so the inventory) reports it. */
const HYPERV_VM_ID_PATTERN = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** The last progress report of an edit that was allowed to restart its VM: what vm-edit did. */
const EDIT_RESTART_REPORTS: Readonly<Record<EditRestart, (shutdownSeconds: number) => string>> = {
  none: () => 'Done without a restart: no change needed the VM off',
  shutdown: () => 'The guest shut down; the VM was changed and started again',
  'turn-off': (seconds) => `The guest did not shut down within ${seconds} s, so the VM was turned off, changed and started again`,
};

/** The same context, except that the job's timeout does not cut the script short. */
function ignoringAbort(context: ActionContext): ActionContext {
  return { ...context, signal: new AbortController().signal };
}

function seedIso(seed: CloudInitSeed | undefined): Buffer | null {
  return seed === undefined ? null : buildNoCloudSeedIso(seed);
}

function requireVmId(vmId: string): string {
  if (!VM_ID_PATTERN.test(vmId)) throw new DriverError('INVALID_PARAMS', `vmId '${vmId}' cannot name a folder and a pipe on Hyper-V (letters, digits, _ . - only)`);
  return vmId;
}

/** Hyper-V assigns memory in 2 MB units ("memory must be a multiple of 2 MB"). */
function requireMemoryUnit(memoryMiB: number | undefined): void {
  if (memoryMiB !== undefined && memoryMiB % 2 !== 0) throw new DriverError('INVALID_PARAMS', `memory must be a multiple of 2 MiB, got ${memoryMiB} MiB`);
}

/**
 * The real Hyper-V host: every action is a script in agent/scripts run by a long-lived PowerShell
 * session (see PowerShellSession and host-loop.ps1). Parameters reach the scripts only as JSON data;
 * results are checked against the wire contract before they leave the agent.
 *
 * Two sessions: actions run one at a time in one of them, so the scripts' checks (name free, marker
 * unique) cannot race each other; facts and inventory have their own, because the agent reads facts
 * for every heartbeat and a create that copies an image can take many minutes.
 */
export class HypervDriver implements HostDriver {
  readonly kind = 'hyperv' as const;
  readonly config: ResolvedHypervConfig;
  private readonly actions: PowerShellSession;
  private readonly queries: PowerShellSession;
  /** Calls made while one is running share its answer, so slow heartbeats cannot pile up requests. */
  private factsInFlight: Promise<HostFacts> | null = null;
  private inventoryInFlight: Promise<Inventory> | null = null;
  /** Open serial streams and their VM's id, to end them when the VM is deleted or the driver stops. */
  private readonly serials = new Map<PipeSerialStream, string>();

  constructor(config: HypervDriverConfig) {
    this.config = resolveHypervConfig(config);
    const command = this.config.hostLoopCommand;
    const options = {
      executable: command.executable,
      args: command.args,
      env: command.env,
      startTimeoutMs: this.config.startTimeoutMs,
      requestTimeoutMs: Math.max(...Object.values(this.config.scriptTimeoutsMs)),
      onOutput: this.config.onHostOutput,
    };
    this.actions = new PowerShellSession(options);
    this.queries = new PowerShellSession(options);
  }

  /** Starts PowerShell and loads Hyper-V now, so a host that cannot run the scripts fails at start. */
  async start(): Promise<void> {
    try {
      await Promise.all([this.actions.start(), this.queries.start()]);
    } catch (error) {
      await this.stop();
      throw mapHypervError('host-loop', error);
    }
  }

  async stop(): Promise<void> {
    this.endSerials(() => true, 'agent-stopping', 'The agent is stopping');
    await Promise.all([this.actions.stop(), this.queries.stop()]);
  }

  facts(): Promise<HostFacts> {
    this.factsInFlight ??= this.call(this.queries, 'host-facts', hostFactsParams(this.config.datastores))
      .then(mapHostFacts)
      .finally(() => (this.factsInFlight = null));
    return this.factsInFlight;
  }

  inventory(): Promise<Inventory> {
    this.inventoryInFlight ??= this.call(this.queries, 'inventory', inventoryParams(this.config.imageDirs))
      .then(mapInventory)
      .finally(() => (this.inventoryInFlight = null));
    return this.inventoryInFlight;
  }

  async run<A extends AgentAction>(action: A, params: ActionParams<A>, context: ActionContext): Promise<unknown> {
    if (!isAgentAction(action)) throw new DriverError('UNKNOWN_ACTION', `the hyperv driver has no action '${String(action)}'`);
    const name: AgentAction = action;
    switch (name) {
      case 'host.refresh':
        // The agent core reports the inventory after every job and facts with every heartbeat: nothing to do here.
        parseActionParams(name, params);
        context.progress(100, 'Done');
        return {};
      case 'vm.create':
        return this.create(parseActionParams(name, params), context);
      case 'vm.edit':
        return this.edit(parseActionParams(name, params), context);
      case 'vm.clone':
        return this.clone(parseActionParams(name, params), context);
      case 'vm.power':
        return this.power(parseActionParams(name, params), context);
      case 'vm.delete':
        return this.delete(parseActionParams(name, params), context);
      case 'vm.adopt':
        return this.adopt(parseActionParams(name, params), context);
    }
  }

  /**
   * Connects the VM's COM1 to `\\.\pipe\openhvx-<vmId>-com1` (vm-create already does for new VMs) and
   * answers the pipe's path, for the serial console. On the queries session: a console must not wait
   * behind an action that copies an image for minutes, and COM1 is nothing the actions' checks read.
   */
  async ensureConsolePipe(vmId: string): Promise<string> {
    const output = await this.call(this.queries, 'vm-console-pipe', vmConsolePipeParams(requireVmId(vmId)));
    return parseScriptOutput('vm-console-pipe', RawConsolePipeSchema, output).PipePath;
  }

  /** Rejects with NOT_FOUND (from vm-console-pipe) when no VM on this host carries the marker of `vm.vmId`. */
  async openSerial(vm: SerialTarget, handlers: SerialHandlers): Promise<SerialStream> {
    const path = await this.ensureConsolePipe(vm.vmId);
    const stream = new PipeSerialStream(path, {
      onData: (data) => handlers.onData(data),
      onEnd: (reason, message) => {
        this.serials.delete(stream);
        handlers.onEnd(reason, message);
      },
    });
    this.serials.set(stream, vm.vmId);
    return {
      write: (data) => stream.write(data),
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      close: () => {
        this.serials.delete(stream);
        stream.close();
      },
    };
  }

  private async create(p: ActionParams<'vm.create'>, context: ActionContext): Promise<VmActionOutput> {
    requireMemoryUnit(p.memoryMiB);
    if (p.generation === 1 && p.secureBootTemplate) {
      throw new DriverError('INVALID_PARAMS', 'secure boot is a generation 2 feature; generation 1 VMs boot from BIOS');
    }
    const datastore = await this.pickDatastore(p.datastore, context);
    const output = await this.call(
      this.actions,
      'vm-create',
      vmCreateParams(p, {
        datastorePath: datastore.path,
        imageDirs: this.config.imageDirs,
        diskProvisioning: this.config.diskProvisioning,
        defaultSwitch: this.config.defaultSwitch,
        seedIso: seedIso(p.cloudInit),
        reserveGiB: this.config.reserveGiB,
      }),
      context,
      { from: 20, to: 100 },
    );
    return { vm: mapVm('vm-create', output) };
  }

  /**
   * With `restart`, vm-edit shuts a running VM down when a change needs it off, changes it and starts it
   * again, all in one script: no other action runs in between, and a failure once the VM is down starts it
   * again as it was (see vm-edit.ps1).
   */
  private async edit(p: ActionParams<'vm.edit'>, context: ActionContext): Promise<VmActionOutput> {
    requireMemoryUnit(p.memoryMiB);
    const params = vmEditParams(p, this.config.guestShutdownTimeoutMs);
    if (!p.restart) {
      const output = parseScriptOutput('vm-edit', RawEditSchema, await this.call(this.actions, 'vm-edit', params, context));
      return { vm: mapVm('vm-edit', output.Vm) };
    }
    const seconds = params.ShutdownTimeoutSeconds;
    context.progress(0, `A change that needs the VM off shuts it down (the guest has ${seconds} s, then the VM is turned off), is applied, and the VM is started again`);
    // Not cut short by the job's timeout: killing PowerShell between the shutdown and the start would leave
    // the VM off. The script bounds its wait for the guest, and the vm-edit script timeout still ends a
    // PowerShell that hangs. The job answers TIMEOUT on time all the same; the inventory shows the outcome.
    const output = parseScriptOutput('vm-edit', RawEditSchema, await this.call(this.actions, 'vm-edit', params, ignoringAbort(context), { from: 5, to: 95 }));
    context.progress(100, EDIT_RESTART_REPORTS[output.Restart](seconds));
    return { vm: mapVm('vm-edit', output.Vm) };
  }

  private async clone(p: ActionParams<'vm.clone'>, context: ActionContext): Promise<VmActionOutput> {
    const params = vmCloneParams(p, this.config.datastores, this.config.reserveGiB, seedIso(p.target.cloudInit));
    const output = await this.call(this.actions, 'vm-clone', params, context);
    return { vm: mapVm('vm-clone', output) };
  }

  private async power(p: ActionParams<'vm.power'>, context: ActionContext): Promise<VmActionOutput> {
    return { vm: mapVm('vm-power', await this.call(this.actions, 'vm-power', vmPowerParams(p), context)) };
  }

  private async adopt(p: ActionParams<'vm.adopt'>, context: ActionContext): Promise<VmActionOutput> {
    if (!HYPERV_VM_ID_PATTERN.test(p.hypervisorId)) throw new DriverError('INVALID_PARAMS', `hypervisorId '${p.hypervisorId}' is not a Hyper-V VM id (a GUID)`);
    const vm = mapVm('vm-adopt', await this.call(this.actions, 'vm-adopt', vmAdoptParams(p), context));
    // Every later action finds the VM by this marker: a VM answered without it would be lost to them.
    if (vm.openhvxVmId !== p.vmId) throw new DriverError('INTERNAL', `vm-adopt answered VM '${vm.name}' without the marker openhvx:${p.vmId}`);
    return { vm };
  }

  private async delete(p: ActionParams<'vm.delete'>, context: ActionContext): Promise<VmDeleteOutput> {
    const params = vmDeleteParams(p, { datastores: this.config.datastores, imageDirs: this.config.imageDirs });
    const output = parseScriptOutput('vm-delete', RawDeleteSchema, await this.call(this.actions, 'vm-delete', params, context));
    this.endSerials((vmId) => vmId === p.vmId, 'vm-deleted', 'The VM was deleted');
    return { vm: output.Vm === null ? null : mapVm('vm-delete', output.Vm) };
  }

  /** The named datastore, or the one with the most free space (which costs a host-facts call when there are several). */
  private async pickDatastore(name: string | undefined, context: ActionContext): Promise<DatastoreRef> {
    const datastores = this.config.datastores;
    if (name !== undefined) {
      const named = datastores.find((d) => d.name.toLowerCase() === name.toLowerCase());
      if (!named) throw new DriverError('INVALID_PARAMS', `no datastore named '${name}' on this host (${datastores.map((d) => d.name).join(', ')})`);
      return named;
    }
    if (datastores.length === 1) return datastores[0];
    const facts = mapHostFacts(await this.call(this.queries, 'host-facts', hostFactsParams(datastores), context, { from: 0, to: 5 }));
    const roomiest = facts.datastores.reduce((best, d) => (d.freeGiB > best.freeGiB ? d : best));
    return datastores.find((d) => d.name === roomiest.name) ?? datastores[0];
  }

  private endSerials(which: (vmId: string) => boolean, reason: ConsoleEndReason, message: string): void {
    for (const [stream, vmId] of [...this.serials]) {
      if (which(vmId)) stream.end(reason, message);
    }
  }

  /** Runs one script, reporting progress before and after it, and maps its failure to a DriverError. */
  private async call(session: PowerShellSession, script: HypervScript, params: Record<string, unknown>, context?: ActionContext, span: Span = { from: 0, to: 100 }): Promise<unknown> {
    context?.progress(span.from, `Running ${script}`);
    let output: unknown;
    try {
      output = await session.run(script, params, { timeoutMs: this.config.scriptTimeoutsMs[script], signal: context?.signal });
    } catch (error) {
      throw mapHypervError(script, error);
    }
    context?.progress(span.to, `${script} done`);
    return output;
  }
}

