import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatIconModule } from '@angular/material/icon';
import type { QuotaAmounts, QuotaCheckResult } from '@contracts/quotas';
import { catchError, debounceTime, distinctUntilChanged, map, merge, Observable, of, switchMap } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { LiveEvents } from '../../../core/live-events';
import { describeViolation } from '../quota-labels';

/** How long the size must stay unchanged before it is checked, so typing does not send a request per key. */
export const PREFLIGHT_DEBOUNCE_MS = 300;

type Outcome = { result: QuotaCheckResult | null; error: unknown };

const sameAmounts = (a: QuotaAmounts | null, b: QuotaAmounts | null) =>
  a === b || (!!a && !!b && a.vcpu === b.vcpu && a.memoryMiB === b.memoryMiB && a.storageGiB === b.storageGiB && a.vms === b.vms);

/**
 * Asks the server whether a request of `amounts` fits in the tenant's quota as the user edits it, and
 * says which limits it would pass; checks again when the quota changes under it.
 */
@Component({
  selector: 'app-quota-preflight',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (result(); as result) {
      @if (result.fits) {
        <p class="fits" role="status"><mat-icon>check_circle</mat-icon>Fits in your quota.</p>
      } @else {
        <div class="violations" role="alert">
          <p><mat-icon>block</mat-icon>This VM does not fit in your quota:</p>
          <ul>
            @for (line of violations(); track line) {
              <li>{{ line }}</li>
            }
          </ul>
          <p class="muted">Choose a smaller size, or free some resources first.</p>
        </div>
      }
    } @else if (error()) {
      <p class="muted" role="status">The quota could not be checked: {{ errorMessage() }}</p>
    }
  `,
  styles: `
    p {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 8px 0;
    }
    .violations {
      color: var(--mat-sys-error);
      border: 1px solid var(--mat-sys-error);
      border-radius: 8px;
      padding: 4px 16px;
    }
    ul {
      margin: 0;
    }
  `,
})
export class QuotaPreflight {
  /** The request's size; null while the form cannot be checked (a field is empty or invalid). */
  readonly amounts = input<QuotaAmounts | null>(null);

  private readonly http = inject(HttpClient);
  protected readonly result = signal<QuotaCheckResult | null>(null);
  protected readonly error = signal<unknown>(null);
  protected readonly violations = computed(() => this.result()?.violations.map(describeViolation) ?? []);
  protected readonly errorMessage = computed(() => apiErrorMessage(this.error()));
  /** False only while the last check said the request does not fit. */
  readonly fits = computed(() => this.result()?.fits !== false);

  constructor() {
    const edits = toObservable(this.amounts).pipe(debounceTime(PREFLIGHT_DEBOUNCE_MS), distinctUntilChanged(sameAmounts));
    const quotaChanges = inject(LiveEvents)
      .of('quota.updated', 'vm.created', 'vm.deleted')
      .pipe(
        debounceTime(PREFLIGHT_DEBOUNCE_MS),
        map(() => this.amounts()),
      );
    merge(edits, quotaChanges)
      .pipe(
        switchMap((amounts) => this.check(amounts)),
        takeUntilDestroyed(),
      )
      .subscribe(({ result, error }) => {
        this.result.set(result);
        this.error.set(error);
      });
  }

  private check(amounts: QuotaAmounts | null): Observable<Outcome> {
    if (!amounts) return of({ result: null, error: null });
    return this.http.post<QuotaCheckResult>('/api/v1/quota/check', amounts).pipe(
      map((result): Outcome => ({ result, error: null })),
      catchError((error: unknown) => of<Outcome>({ result: null, error })),
    );
  }
}
