import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Vm } from '@contracts/vms';
import { formatMiB } from '../../../core/labels';
import { StateChip } from '../../../shared/state-chip';

/** What a VM is: its state, size, image, host and addresses. */
@Component({
  selector: 'app-vm-overview',
  imports: [MatCardModule, DatePipe, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card-grid">
      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Status</mat-card-title></mat-card-header>
        <mat-card-content>
          <dl>
            <dt>State</dt>
            <dd><app-state-chip [state]="vm().state" /></dd>
            <dt>Host</dt>
            <dd>{{ vm().hostName ?? 'Not placed yet' }}</dd>
            <dt>IP addresses</dt>
            <dd class="mono">
              @for (ip of vm().ipAddresses; track ip) {
                <div>{{ ip }}</div>
              } @empty {
                <span class="muted">None reported yet</span>
              }
            </dd>
          </dl>
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Size</mat-card-title></mat-card-header>
        <mat-card-content>
          <dl>
            <dt>vCPU</dt>
            <dd>{{ vm().vcpu }}</dd>
            <dt>Memory</dt>
            <dd>{{ memory(vm().memoryMiB) }}</dd>
            <dt>Disk</dt>
            <dd>{{ vm().diskGiB }} GiB</dd>
          </dl>
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Origin</mat-card-title></mat-card-header>
        <mat-card-content>
          <dl>
            <dt>Image</dt>
            <dd>{{ vm().imageName ?? '—' }}</dd>
            <dt>Created</dt>
            <dd>{{ vm().createdAt | date: 'medium' }}</dd>
            <dt>ID</dt>
            <dd class="mono">{{ vm().id }}</dd>
          </dl>
        </mat-card-content>
      </mat-card>
    </div>
  `,
  styles: `
    :host {
      display: block;
      padding-top: 16px;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 8px 16px;
      margin: 8px 0 0;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
    }
  `,
})
export class VmOverview {
  readonly vm = input.required<Vm>();
  protected readonly memory = formatMiB;
}
