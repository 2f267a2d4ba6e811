/** A VM record was removed (deleted, or its creation rolled back): whatever is attached to the VM must let go. */
export const VM_REMOVED = 'vm.removed';

export interface VmRemovedEvent {
  vmId: string;
}
