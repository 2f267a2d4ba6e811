import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** Used (committed), held and free parts of a limit, as one bar with its figures. */
@Component({
  selector: 'app-usage-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="label">
      <span>{{ label() }}</span>
      <span class="muted">{{ format()(used()) }} used · {{ format()(held()) }} held · {{ format()(limit()) }} limit</span>
    </div>
    <div class="bar" role="meter" [attr.aria-label]="label()" [attr.aria-valuenow]="used() + held()" aria-valuemin="0" [attr.aria-valuemax]="limit()">
      <div class="used" [style.width.%]="usedPercent()"></div>
      <div class="held" [style.width.%]="heldPercent()"></div>
    </div>
  `,
  styles: `
    :host {
      display: block;
      margin: 8px 0 16px;
    }
    .label {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      margin-bottom: 4px;
      flex-wrap: wrap;
    }
    .bar {
      display: flex;
      height: 10px;
      border-radius: 5px;
      overflow: hidden;
      background: var(--mat-sys-surface-container-highest);
    }
    .used {
      background: var(--mat-sys-primary);
    }
    .held {
      background: var(--mat-sys-tertiary);
      opacity: 0.6;
    }
  `,
})
export class UsageBar {
  readonly label = input.required<string>();
  readonly used = input.required<number>();
  readonly held = input(0);
  readonly limit = input.required<number>();
  readonly format = input<(value: number) => string>((value) => String(value));

  protected readonly usedPercent = computed(() => percent(this.used(), this.limit()));
  protected readonly heldPercent = computed(() => Math.min(percent(this.held(), this.limit()), 100 - this.usedPercent()));
}

function percent(value: number, limit: number): number {
  if (limit <= 0) return value > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (value / limit) * 100));
}
