import { JobErrorCode } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { ScriptErrorInfo } from './host-loop-protocol';
import { mapHypervError, mapScriptError } from './map-hyperv-error';
import { PowerShellScriptError, PowerShellSessionError } from './powershell-session-error';

function info(fullyQualifiedErrorId: string, message = 'failed', category = 'NotSpecified', exceptionType?: string): ScriptErrorInfo {
  return { message, category, fullyQualifiedErrorId, ...(exceptionType ? { exceptionType } : {}) };
}

describe(mapScriptError.name, () => {
  it.each<[string, ScriptErrorInfo, JobErrorCode, boolean]>([
    ['our VM_MUST_BE_OFF', info('VM_MUST_BE_OFF', "VM 'web' is running; turn it off"), 'VM_MUST_BE_OFF', false],
    ['our DISK_CANNOT_SHRINK', info('DISK_CANNOT_SHRINK'), 'DISK_CANNOT_SHRINK', false],
    ['our NAME_TAKEN', info('NAME_TAKEN'), 'NAME_TAKEN', false],
    ['our NOT_FOUND', info('NOT_FOUND'), 'NOT_FOUND', false],
    ['our IMAGE_NOT_FOUND', info('IMAGE_NOT_FOUND'), 'IMAGE_NOT_FOUND', false],
    ['our INSUFFICIENT_CAPACITY', info('INSUFFICIENT_CAPACITY'), 'INSUFFICIENT_CAPACITY', false],
    ['our INVALID_PARAMS', info('INVALID_PARAMS'), 'INVALID_PARAMS', false],
    ['our id with a command suffix', info('VM_MUST_BE_OFF,vm-edit.ps1'), 'VM_MUST_BE_OFF', false],
    ['a VM between states', info('VM_BUSY'), 'INVALID_STATE', true],
    ['Hyper-V InvalidState', info('InvalidState,Microsoft.HyperV.PowerShell.Commands.StartVM', "'web' failed to change state. The operation cannot be performed while the object is in its current state."), 'INVALID_STATE', true],
    [
      'no memory to start',
      info('OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM', "'web' could not initialize. Not enough memory in the system to start the virtual machine web."),
      'INSUFFICIENT_CAPACITY',
      false,
    ],
    ['a full disk', info('System.IO.IOException,Microsoft.PowerShell.Commands.CopyItemCommand', 'There is not enough space on the disk.'), 'INSUFFICIENT_CAPACITY', false],
    ['Hyper-V object not found', info('InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM', 'Hyper-V was unable to find a virtual machine with name web.', 'ObjectNotFound'), 'NOT_FOUND', false],
    ['a WMI hiccup', info('HRESULT 0x80041001,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand', 'Generic failure', 'NotSpecified', 'Microsoft.Management.Infrastructure.CimException'), 'HYPERVISOR_ERROR', true],
    ['the RPC server gone', info('OperationFailed,Microsoft.HyperV.PowerShell.Commands.GetVM', 'The RPC server is unavailable. (0x800706BA)'), 'HYPERVISOR_ERROR', true],
    ['a locked disk file', info('ObjectInUse,Microsoft.Vhd.PowerShell.Cmdlets.ResizeVhd', 'The process cannot access the file because it is being used by another process.'), 'HYPERVISOR_ERROR', true],
    ['access denied', info('AccessDenied,Microsoft.HyperV.PowerShell.Commands.NewVM', 'You do not have the required permission to complete this task.', 'PermissionDenied'), 'HYPERVISOR_ERROR', false],
    ['a script calling a cmdlet wrongly', info('NamedParameterNotFound,Microsoft.HyperV.PowerShell.Commands.StopVM', 'A parameter cannot be found that matches parameter name Kill.', 'InvalidArgument'), 'INTERNAL', false],
    ['the loop refusing a script', info('ScriptNotFound'), 'INTERNAL', false],
    ['a script writing two answers', info('ScriptEmittedManyObjects'), 'INTERNAL', false],
    ['anything else', info('OperationFailed,Microsoft.HyperV.PowerShell.Commands.NewVM', 'The system cannot find the path specified.'), 'HYPERVISOR_ERROR', false],
  ])('maps %s', (_what, error, code, retryable) => {
    const mapped = mapScriptError('vm-x', error);
    expect(mapped).toBeInstanceOf(DriverError);
    expect({ code: mapped.code, retryable: mapped.retryable }).toEqual({ code, retryable });
    expect(mapped.message.startsWith('vm-x: ')).toBe(true);
  });

  it('keeps messages on one line and within what a job error carries', () => {
    const mapped = mapScriptError('vm-x', info('OperationFailed', `first line\r\n\r\n${'x'.repeat(10_000)}`));
    expect(mapped.message).not.toMatch(/[\r\n]/);
    expect(mapped.message.length).toBeLessThan(4_096);
  });
});

describe(mapHypervError.name, () => {
  it.each<[string, unknown, JobErrorCode, boolean]>([
    ['a timeout', new PowerShellSessionError('timeout', 'vm-create did not answer'), 'TIMEOUT', false],
    ['an abort', new PowerShellSessionError('aborted', 'vm-create was cancelled'), 'TIMEOUT', false],
    ['a crash', new PowerShellSessionError('exited', 'PowerShell exited'), 'HYPERVISOR_ERROR', true],
    ['a failed start', new PowerShellSessionError('start-failed', 'no Hyper-V'), 'HYPERVISOR_ERROR', true],
    ['a stopping agent', new PowerShellSessionError('stopped', 'stopping'), 'AGENT_BUSY', true],
    ['a protocol failure', new PowerShellSessionError('protocol', 'broken answer'), 'INTERNAL', false],
    ['a script error', new PowerShellScriptError('vm-edit', info('DISK_CANNOT_SHRINK')), 'DISK_CANNOT_SHRINK', false],
    ['anything else', new TypeError('x is undefined'), 'INTERNAL', false],
  ])('maps %s', (_what, error, code, retryable) => {
    const mapped = mapHypervError('vm-x', error);
    expect({ code: mapped.code, retryable: mapped.retryable }).toEqual({ code, retryable });
  });

  it('passes a DriverError through', () => {
    const original = new DriverError('IMAGE_NOT_FOUND', 'no image');
    expect(mapHypervError('vm-x', original)).toBe(original);
  });
});
