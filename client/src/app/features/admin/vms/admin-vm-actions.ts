import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { VmPowerAction } from '@contracts/agent-protocol';
import { POWER_ACTION_FROM, PowerVmRequest, RestingVmState, Vm, VmTask } from '@contracts/vms';
import { firstValueFrom, Observable } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { confirm } from '../../../shared/confirm-dialog';

/** The power actions an administrator gets in VM lists, in menu order, with their labels. */
export const ADMIN_POWER_ACTIONS: readonly { action: VmPowerAction; label: string }[] = [
  { action: 'start', label: 'Start' },
  { action: 'shutdown', label: 'Shut down' },
  { action: 'restart', label: 'Restart' },
  { action: 'stop', label: 'Stop' },
];

/** Whether `action` applies to a VM in `state` (Hyper-V's rules); the server has the last word. */
export function powerActionApplies(action: VmPowerAction, state: Vm['state']): boolean {
  return POWER_ACTION_FROM[action].includes(state as RestingVmState);
}

/**
 * Power and delete on any tenant's VM. Each answers whether the server accepted the request; a refusal
 * (INVALID_STATE, VM_BUSY…) shows the server's message. The work itself is a task the notifier follows.
 */
@Injectable({ providedIn: 'root' })
export class AdminVmActions {
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  async power(vm: Pick<Vm, 'id' | 'name'>, action: VmPowerAction): Promise<boolean> {
    const label = ADMIN_POWER_ACTIONS.find((option) => option.action === action)?.label ?? action;
    const body: PowerVmRequest = { action };
    return this.send(this.http.post<VmTask>(`/api/v1/admin/vms/${vm.id}/power`, body), `${label}: ${vm.name} requested`);
  }

  async remove(vm: Pick<Vm, 'id' | 'name'>): Promise<boolean> {
    const confirmed = await confirm(this.dialog, {
      title: `Delete VM ${vm.name}?`,
      message: "The VM is stopped and removed from its host with its disks; the tenant's quota gets its share back.",
      confirmLabel: 'Delete',
      typeToConfirm: vm.name,
    });
    if (!confirmed) return false;
    return this.send(this.http.delete<VmTask>(`/api/v1/admin/vms/${vm.id}`), `Deleting ${vm.name}`);
  }

  private async send(request: Observable<unknown>, done: string): Promise<boolean> {
    try {
      await firstValueFrom(request);
      this.snackBar.open(done, undefined, { duration: 3_000 });
      return true;
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 10_000 });
      return false;
    }
  }
}
