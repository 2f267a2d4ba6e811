import { DriverError } from '../host-driver';
import { SimVmRecord } from './sim-state';

/** Hyper-V only assigns memory in 2 MB units ("memory must be a multiple of 2 MB"). */
export function requireMemoryUnit(memoryMiB: number): void {
  if (memoryMiB % 2 !== 0) throw new DriverError('INVALID_PARAMS', `memory must be a multiple of 2 MiB, got ${memoryMiB} MiB`);
}

/** `restartable`: the action could do it with a restart (vm.edit with `restart`), so the message says so. */
export function mustBeOff(vm: SimVmRecord, toDo: string, restartable = false): DriverError {
  // A saved VM cannot be turned off directly: it has to be restored first.
  const how = vm.state === 'saved' ? 'start it and shut it down' : restartable ? 'turn it off (or edit with restart)' : 'turn it off';
  return new DriverError('VM_MUST_BE_OFF', `VM '${vm.name}' is ${vm.state}; ${how} to ${toDo}`);
}
