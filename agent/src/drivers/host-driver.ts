import { ActionParams, ActionParamsSchemas, AgentAction, ConsoleEndReason, HostFacts, Inventory, JobErrorCode } from '../../../src/contracts/agent-protocol';

/** What an action may report while it runs. */
export interface ActionContext {
  jobId: string;
  /** Aborted when the job times out or the agent shuts down; long steps should stop early. */
  signal: AbortSignal;
  progress(percent: number, message?: string): void;
}

/**
 * One Hyper-V host, real (`hyperv`, PowerShell) or simulated (`sim`). The agent core talks only to
 * this interface; both drivers give actions the semantics Hyper-V has.
 */
export interface HostDriver {
  readonly kind: 'sim' | 'hyperv';
  start(): Promise<void>;
  stop(): Promise<void>;
  facts(): Promise<HostFacts>;
  inventory(): Promise<Inventory>;
  /** Runs one action; rejects with a DriverError for expected failures. */
  run<A extends AgentAction>(action: A, params: ActionParams<A>, context: ActionContext): Promise<unknown>;
  /**
   * Connects to a VM's serial port (COM1). The agent opens one stream per VM and shares it between
   * that VM's console channels. Rejects with DriverError NOT_FOUND when the host has no such VM.
   */
  openSerial(vm: SerialTarget, handlers: SerialHandlers): Promise<SerialStream>;
  /** Called when VM state changes outside jobs (a guest powering itself off), so the agent reports inventory. */
  onInventoryChange?(listener: () => void): void;
  /** Fault injection (sim only): while true the agent sends nothing, like a hung host. */
  isSilent?(): boolean;
}

export interface SerialTarget {
  /** The control plane's VM id (names the COM1 pipe `\\.\pipe\openhvx-<vmId>-com1`). */
  vmId: string;
  /** Hyper-V's id, when the control plane knows it (adopted VMs). */
  hypervisorId: string | null;
}

export interface SerialHandlers {
  /** Output of the serial port. Not called while paused. */
  onData(data: Buffer): void;
  /** The stream ended for good; the agent closes the VM's channels with this reason. */
  onEnd(reason: ConsoleEndReason, message: string): void;
}

/** A VM's serial port as a byte stream. It survives the VM being off or restarting (bytes just stop). */
export interface SerialStream {
  /** Input typed by a console user. */
  write(data: Buffer): void;
  /** Flow control: stop delivering output until resume(). */
  pause(): void;
  resume(): void;
  /** Detaches; onEnd is not called. */
  close(): void;
}

/** An expected failure with a protocol error code; anything else is reported as INTERNAL. */
export class DriverError extends Error {
  override name = 'DriverError';

  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

export function isAgentAction(action: string): action is AgentAction {
  return Object.hasOwn(ActionParamsSchemas, action);
}

/** Validates an action's params against the contract; every driver and the job runner go through here. */
export function parseActionParams<K extends AgentAction>(action: K, params: unknown): ActionParams<K> {
  const result = ActionParamsSchemas[action].safeParse(params);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DriverError('INVALID_PARAMS', `${action}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data as ActionParams<K>;
}
