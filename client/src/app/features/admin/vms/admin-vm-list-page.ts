import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { HostPage } from '@contracts/hosts';
import type { Tenant } from '@contracts/tenants';
import { VM_STATES, VmState } from '@contracts/vms';
import { VM_STATE_LABELS } from '../../../core/labels';
import { debounced } from '../debounced';
import { TenantPicker } from '../tenants/tenant-picker';
import { AdminVmTable } from './admin-vm-table';
import { valueOf } from '../../../shared/resource-value';

/** Every tenant's VMs, filtered by tenant, host, state and name. */
@Component({
  selector: 'app-admin-vm-list-page',
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatIconModule, TenantPicker, AdminVmTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Virtual machines</h1></header>
      <div class="filters">
        <app-tenant-picker [(tenant)]="tenant" />
        <mat-form-field>
          <mat-label>Host</mat-label>
          <mat-select [value]="hostId()" (valueChange)="hostId.set($event)">
            <mat-option [value]="null">Any</mat-option>
            @for (host of valueOf(hosts)?.items ?? []; track host.id) {
              <mat-option [value]="host.id">{{ host.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>State</mat-label>
          <mat-select [value]="state()" (valueChange)="state.set($event)">
            <mat-option [value]="null">Any</mat-option>
            @for (option of states; track option) {
              <mat-option [value]="option">{{ stateLabels[option] }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Search</mat-label>
          <input matInput type="search" [value]="text()" (input)="text.set($any($event.target).value)" autocomplete="off" />
          <mat-icon matSuffix>search</mat-icon>
        </mat-form-field>
        @if (filtered()) {
          <button mat-button (click)="clear()">Clear filters</button>
        }
      </div>
      <app-admin-vm-table [tenantId]="tenant()?.id ?? null" [hostId]="hostId()" [state]="state()" [q]="query()" />
    </section>
  `,
  styles: `
    .filters {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 0 16px;
      align-items: start;
    }
    .filters button {
      margin-top: 10px;
      justify-self: start;
    }
  `,
})
export class AdminVmListPage {
  protected readonly valueOf = valueOf;
  protected readonly states = VM_STATES;
  protected readonly stateLabels = VM_STATE_LABELS;
  protected readonly tenant = signal<Tenant | null>(null);
  protected readonly hostId = signal<string | null>(null);
  protected readonly state = signal<VmState | null>(null);
  protected readonly text = signal('');
  protected readonly query = debounced(this.text);
  protected readonly hosts = httpResource<HostPage>(() => ({ url: '/api/v1/admin/hosts', params: { limit: 200 } }));
  protected readonly filtered = computed(() => !!(this.tenant() || this.hostId() || this.state() || this.text()));

  protected clear(): void {
    this.tenant.set(null);
    this.hostId.set(null);
    this.state.set(null);
    this.text.set('');
  }
}
