import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { VmState } from '@contracts/vms';
import type { ChartConfiguration } from 'chart.js';
import { VM_STATE_LABELS } from '../../../core/labels';
import { ChartView } from '../../../shared/chart';

/** How many VMs are in each state, as a doughnut; states with no VM are left out. */
@Component({
  selector: 'app-vm-state-chart',
  imports: [ChartView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown().length > 0) {
      <app-chart [config]="config()" [label]="description()" />
    } @else {
      <p class="muted">No VMs yet.</p>
    }
  `,
})
export class VmStateChart {
  readonly counts = input.required<readonly (readonly [VmState, number])[]>();

  protected readonly shown = computed(() => this.counts().filter(([, count]) => count > 0));
  protected readonly description = computed(() => `VMs by state: ${this.shown().map(([state, count]) => `${count} ${VM_STATE_LABELS[state].toLowerCase()}`).join(', ')}`);
  protected readonly config = computed<ChartConfiguration>(() => ({
    type: 'doughnut',
    data: {
      labels: this.shown().map(([state]) => VM_STATE_LABELS[state]),
      datasets: [{ label: 'VMs', data: this.shown().map(([, count]) => count) }],
    },
    options: { plugins: { legend: { position: 'right' } } },
  }));
}
