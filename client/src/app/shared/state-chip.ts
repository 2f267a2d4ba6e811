import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

const TONES: Record<string, 'ok' | 'busy' | 'warn' | 'off'> = {
  running: 'ok',
  online: 'ok',
  active: 'ok',
  succeeded: 'ok',
  provisioning: 'busy',
  starting: 'busy',
  stopping: 'busy',
  deleting: 'busy',
  queued: 'busy',
  pending: 'busy',
  maintenance: 'warn',
  paused: 'warn',
  saved: 'warn',
  suspended: 'warn',
  missing: 'warn',
  error: 'warn',
  failed: 'warn',
  offline: 'off',
  off: 'off',
  cancelled: 'off',
};

/** A state (VM, host, task, tenant) as a small coloured label. */
@Component({
  selector: 'app-state-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `{{ state() }}`,
  host: { '[class]': "'chip ' + tone()" },
  styles: `
    :host {
      display: inline-block;
      padding: 2px 10px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
      text-transform: capitalize;
      background: var(--mat-sys-surface-container-high);
    }
    :host(.ok) {
      background: color-mix(in srgb, #2e7d32 20%, transparent);
    }
    :host(.busy) {
      background: color-mix(in srgb, var(--mat-sys-primary) 20%, transparent);
    }
    :host(.warn) {
      background: color-mix(in srgb, var(--mat-sys-error) 20%, transparent);
    }
  `,
})
export class StateChip {
  readonly state = input.required<string>();
  protected readonly tone = computed(() => TONES[this.state()] ?? 'off');
}
