import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ConsoleTicket } from '@contracts/console';
import type { CloneVmRequest, CreateVmRequest, UpdateVmRequest, VmPowerAction, VmTask } from '@contracts/vms';
import { firstValueFrom } from 'rxjs';

/** The tenant's VM requests; each accepted one answers 202 with the VM and the task doing the work. */
@Injectable({ providedIn: 'root' })
export class VmApi {
  private readonly http = inject(HttpClient);

  create(body: CreateVmRequest): Promise<VmTask> {
    return firstValueFrom(this.http.post<VmTask>('/api/v1/vms', body));
  }

  power(id: string, action: VmPowerAction): Promise<VmTask> {
    return firstValueFrom(this.http.post<VmTask>(`/api/v1/vms/${id}/power`, { action }));
  }

  update(id: string, body: UpdateVmRequest): Promise<VmTask> {
    return firstValueFrom(this.http.patch<VmTask>(`/api/v1/vms/${id}`, body));
  }

  clone(id: string, body: CloneVmRequest): Promise<VmTask> {
    return firstValueFrom(this.http.post<VmTask>(`/api/v1/vms/${id}/clone`, body));
  }

  remove(id: string): Promise<VmTask> {
    return firstValueFrom(this.http.delete<VmTask>(`/api/v1/vms/${id}`));
  }

  consoleTicket(id: string): Promise<ConsoleTicket> {
    return firstValueFrom(this.http.post<ConsoleTicket>(`/api/v1/vms/${id}/console`, {}));
  }
}
