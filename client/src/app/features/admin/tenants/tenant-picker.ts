import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, input, model, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule, MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Page, Tenant } from '@contracts/tenants';
import { debounced } from '../debounced';
import { valueOf } from '../../../shared/resource-value';

/**
 * Picks a tenant by typing part of its name or slug. Two-way `[(tenant)]`; with `clearOnPick` it
 * empties itself after each pick (to add tenants to a list).
 */
@Component({
  selector: 'app-tenant-picker',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatAutocompleteModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="full-width" [subscriptSizing]="hint() ? 'fixed' : 'dynamic'">
      <mat-label>{{ label() }}</mat-label>
      <input matInput [formControl]="text" [matAutocomplete]="auto" (focus)="active.set(true)" autocomplete="off" />
      @if (hint(); as hint) {
        <mat-hint>{{ hint }}</mat-hint>
      }
      <mat-autocomplete #auto="matAutocomplete" [displayWith]="display" (optionSelected)="pick($event)">
        @if (options.error()) {
          <mat-option disabled>Tenants could not be loaded</mat-option>
        }
        @for (option of valueOf(options)?.items ?? []; track option.id) {
          <mat-option [value]="option">{{ option.name }} ({{ option.slug }})</mat-option>
        } @empty {
          @if (options.hasValue()) {
            <mat-option disabled>No tenant matches</mat-option>
          }
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class TenantPicker {
  readonly label = input('Tenant');
  readonly hint = input<string>();
  readonly clearOnPick = input(false);
  readonly tenant = model<Tenant | null>(null);

  protected readonly valueOf = valueOf;
  protected readonly text = new FormControl<string | Tenant>('', { nonNullable: true });
  /** Tenants are looked up once the field is first used, not when the page opens. */
  protected readonly active = signal(false);
  private readonly typed = signal('');
  private readonly search = debounced(this.typed, 250);
  protected readonly options = httpResource<Page<Tenant>>(() =>
    this.active() ? { url: '/api/v1/admin/tenants', params: { limit: 20, ...(this.search() ? { q: this.search() } : {}) } } : undefined,
  );
  protected readonly display = (value: Tenant | string | null) => (typeof value === 'string' ? value : (value?.name ?? ''));

  constructor() {
    // Follow a tenant set from outside (a filter reset, a dialog opened with one chosen).
    effect(() => {
      const tenant = this.tenant();
      const shown = this.text.value;
      if (tenant && (typeof shown === 'string' || shown.id !== tenant.id)) this.text.setValue(tenant, { emitEvent: false });
      if (!tenant && typeof shown !== 'string') this.text.setValue('', { emitEvent: false });
    });
    this.text.valueChanges.pipe(takeUntilDestroyed()).subscribe((value) => {
      if (typeof value !== 'string') return;
      this.typed.set(value.trim());
      // Typing over a chosen tenant unchooses it.
      if (this.tenant()) this.tenant.set(null);
    });
  }

  protected pick(event: MatAutocompleteSelectedEvent): void {
    this.tenant.set(event.option.value as Tenant);
    if (this.clearOnPick()) {
      this.text.setValue('', { emitEvent: false });
      this.tenant.set(null);
    }
  }
}
