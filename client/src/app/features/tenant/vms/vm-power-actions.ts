import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { Vm, VmPowerAction } from '@contracts/vms';
import { canPower, POWER_ACTIONS } from './vm-labels';

/** A button per power action, each enabled only when it applies to the VM's state. */
@Component({
  selector: 'app-vm-power-actions',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div role="group" aria-label="Power">
      @for (item of actions; track item.action) {
        <button mat-stroked-button [disabled]="disabled() || !applies(item.action)" (click)="power.emit(item.action)">
          <mat-icon>{{ item.icon }}</mat-icon>{{ item.label }}
        </button>
      }
    </div>
  `,
  styles: `
    div {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class VmPowerActions {
  readonly vm = input.required<Vm>();
  readonly disabled = input(false);
  readonly power = output<VmPowerAction>();
  protected readonly actions = POWER_ACTIONS;

  protected applies(action: VmPowerAction): boolean {
    return canPower(this.vm(), action);
  }
}
