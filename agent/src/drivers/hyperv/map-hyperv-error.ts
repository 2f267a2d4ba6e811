import { JobErrorCode } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { ScriptErrorInfo } from './host-loop-protocol';
import { PowerShellScriptError, PowerShellSessionError, tail } from './powershell-session-error';

/** Error ids the OpenHVX scripts throw (New-OpenhvxError): the protocol's codes, passed through as they are. */
const SCRIPT_CODES: ReadonlySet<JobErrorCode> = new Set<JobErrorCode>([
  'INVALID_PARAMS',
  'NOT_FOUND',
  'NAME_TAKEN',
  'INVALID_STATE',
  'VM_MUST_BE_OFF',
  'DISK_CANNOT_SHRINK',
  'INSUFFICIENT_CAPACITY',
  'IMAGE_NOT_FOUND',
]);

/** Errors of host-loop.ps1 itself: the agent asked for something the loop refuses, which is a bug here. */
const HOST_LOOP_IDS = new Set(['ScriptNotAllowed', 'ScriptNotFound', 'ScriptEmittedManyObjects']);

/** PowerShell refusing how a cmdlet was called: a bug in a script, not a state of the host. */
const BINDING_IDS = /ParameterBinding|ParameterArgument|NamedParameterNotFound|PositionalParameterNotFound|MissingArgument|AmbiguousParameterSet|MissingMandatoryParameter|ParameterAlreadyBound|InvalidCastFromStringToInteger|PropertyNotFoundStrict/i;

/** Hyper-V or disk space. Hyper-V: "Not enough memory in the system to start the virtual machine". */
const NO_MEMORY = /not enough memory|insufficient (system )?memory|0x8007000E/i;
const NO_SPACE = /not enough (disk )?space|disk is full|0x80070070/i;

/** "The operation cannot be performed while the object is in its current state": usually a VM mid-transition. */
const INVALID_STATE = /\bInvalidState\b|object is in its current state|0x800710D2/i;

/**
 * Failures of the management stack that a later attempt usually does not meet: WMI/CIM and RPC hiccups,
 * the Virtual Machine Management service restarting, a disk file briefly locked (backup, antivirus).
 */
const TRANSIENT = /RPC server is unavailable|0x800706BA|0x80041001|0x80041006|generic failure|timed out|timeout|0x80070020|0x80070021|being used by another process|Virtual Machine Management service|vmms|temporarily|try again/i;
const TRANSIENT_CATEGORIES = new Set(['ResourceBusy', 'ResourceUnavailable', 'OperationTimeout', 'ConnectionError']);
const TRANSIENT_EXCEPTIONS = /CimException|COMException|RemoteException|TimeoutException/;

const ACCESS_DENIED = /access (is )?denied|0x80070005|UnauthorizedAccess/i;

/** One line, within what a job error may carry. */
function clean(text: string): string {
  return tail(text.replace(/\s+/g, ' '), 3_500);
}

export function mapScriptError(script: string, info: ScriptErrorInfo): DriverError {
  const id = info.fullyQualifiedErrorId;
  const head = id.split(',')[0].trim();
  const message = `${script}: ${clean(info.message)}`;
  const everything = `${id} ${info.message}`;
  if (SCRIPT_CODES.has(head as JobErrorCode)) return new DriverError(head as JobErrorCode, message);
  // The VM is between states; the same request can succeed once the running operation ends.
  if (head === 'VM_BUSY') return new DriverError('INVALID_STATE', message, true);
  if (HOST_LOOP_IDS.has(head)) return new DriverError('INTERNAL', `${message} (${head})`);
  if (BINDING_IDS.test(id) || /ParameterBindingException/.test(info.exceptionType ?? '')) {
    return new DriverError('INTERNAL', `${message} (the script called a cmdlet wrongly: ${id})`);
  }
  if (/CommandNotFoundException/.test(id + (info.exceptionType ?? ''))) {
    return new DriverError('HYPERVISOR_ERROR', `${message} (is the Hyper-V PowerShell module installed?)`);
  }
  if (NO_MEMORY.test(info.message) || NO_SPACE.test(info.message)) return new DriverError('INSUFFICIENT_CAPACITY', message);
  if (ACCESS_DENIED.test(everything) || info.category === 'PermissionDenied') {
    return new DriverError('HYPERVISOR_ERROR', `${message} (the agent's account must be in Hyper-V Administrators and own the datastore folders)`);
  }
  if (INVALID_STATE.test(everything)) return new DriverError('INVALID_STATE', message, true);
  if (head === 'ObjectNotFound' || info.category === 'ObjectNotFound') return new DriverError('NOT_FOUND', message);
  if (TRANSIENT.test(everything) || TRANSIENT_CATEGORIES.has(info.category) || TRANSIENT_EXCEPTIONS.test(info.exceptionType ?? '')) {
    return new DriverError('HYPERVISOR_ERROR', message, true);
  }
  return new DriverError('HYPERVISOR_ERROR', `${message} (${id})`);
}

/** Any failure of a script call, as the DriverError the job reports. */
export function mapHypervError(script: string, error: unknown): DriverError {
  if (error instanceof DriverError) return error;
  if (error instanceof PowerShellScriptError) return mapScriptError(script, error.info);
  if (error instanceof PowerShellSessionError) {
    const message = clean(error.message);
    switch (error.reason) {
      case 'timeout':
      case 'aborted':
        return new DriverError('TIMEOUT', message);
      // A fresh PowerShell is started for the next attempt.
      case 'exited':
      case 'start-failed':
        return new DriverError('HYPERVISOR_ERROR', message, true);
      case 'stopped':
        return new DriverError('AGENT_BUSY', message, true);
      case 'protocol':
      case 'invalid-request':
        return new DriverError('INTERNAL', message);
    }
  }
  return new DriverError('INTERNAL', `${script}: ${error instanceof Error ? error.message : String(error)}`);
}
