import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** How much of a host resource is taken: `6 of 8 cores (75%)`, as a bar. */
@Component({
  selector: 'app-capacity-meter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="label">
      <span>{{ label() }}</span>
      <span class="muted">{{ format()(used()) }} of {{ format()(total()) }} ({{ percent() }}%)</span>
    </div>
    <div class="bar" role="meter" [attr.aria-label]="label()" [attr.aria-valuenow]="used()" aria-valuemin="0" [attr.aria-valuemax]="total()">
      <div class="used" [class.over]="used() > total()" [style.width.%]="width()"></div>
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
      flex-wrap: wrap;
      margin-bottom: 4px;
    }
    .bar {
      height: 10px;
      border-radius: 5px;
      overflow: hidden;
      background: var(--mat-sys-surface-container-highest);
    }
    .used {
      height: 100%;
      background: var(--mat-sys-primary);
    }
    .used.over {
      background: var(--mat-sys-error);
    }
  `,
})
export class CapacityMeter {
  readonly label = input.required<string>();
  readonly used = input.required<number>();
  readonly total = input.required<number>();
  readonly format = input<(value: number) => string>(String);

  protected readonly percent = computed(() => (this.total() > 0 ? Math.round((this.used() / this.total()) * 100) : 0));
  protected readonly width = computed(() => Math.min(100, this.percent()));
}
