import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import type { Page } from '@contracts/tenants';
import type { Vm, VmPowerAction } from '@contracts/vms';
import { apiErrorMessage } from '../../../core/api-error';
import { LiveEvents } from '../../../core/live-events';
import { Session } from '../../../core/session';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { VmApi } from './vm-api';
import { canPower, vmSpecs } from './vm-labels';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/** The tenant's VMs, kept live, with start and stop on each row. */
@Component({
  selector: 'app-vm-list-page',
  imports: [MatTableModule, MatPaginatorModule, MatButtonModule, MatIconModule, MatTooltipModule, RouterLink, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header">
        <h1>Virtual machines</h1>
        <button mat-flat-button [disabled]="readOnly()" (click)="create()"><mat-icon>add</mat-icon>Create VM</button>
      </header>
      @if (readOnly()) {
        <p class="muted">Your role is read-only: you can see the VMs but not change them.</p>
      }
      <app-load-state [loading]="vms.isLoading()" [error]="vms.error()" [empty]="valueOf(vms)?.total === 0" emptyText="No VMs yet. Create one to get started." (retry)="vms.reload()">
        <table mat-table [dataSource]="valueOf(vms)?.items ?? []" aria-label="Virtual machines">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let vm">
              <a [routerLink]="['/vms', vm.id]">{{ vm.name }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="state">
            <th mat-header-cell *matHeaderCellDef>State</th>
            <td mat-cell *matCellDef="let vm"><app-state-chip [state]="vm.state" /></td>
          </ng-container>
          <ng-container matColumnDef="specs">
            <th mat-header-cell *matHeaderCellDef>Size</th>
            <td mat-cell *matCellDef="let vm">{{ specs(vm) }}</td>
          </ng-container>
          <ng-container matColumnDef="image">
            <th mat-header-cell *matHeaderCellDef>Image</th>
            <td mat-cell *matCellDef="let vm">{{ vm.imageName ?? '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="ips">
            <th mat-header-cell *matHeaderCellDef>IP addresses</th>
            <td mat-cell *matCellDef="let vm" class="mono">{{ vm.ipAddresses.join(', ') || '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let vm" class="actions">
              <button mat-icon-button [attr.aria-label]="'Start ' + vm.name" matTooltip="Start" [disabled]="!allowed(vm, 'start')" (click)="power(vm, 'start')">
                <mat-icon>play_arrow</mat-icon>
              </button>
              <button mat-icon-button [attr.aria-label]="'Stop ' + vm.name" matTooltip="Stop" [disabled]="!allowed(vm, 'stop')" (click)="power(vm, 'stop')">
                <mat-icon>stop</mat-icon>
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
        <mat-paginator [length]="valueOf(vms)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    .actions {
      white-space: nowrap;
      text-align: end;
    }
  `,
})
export class VmListPage {
  protected readonly valueOf = valueOf;
  private readonly api = inject(VmApi);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly readOnly = inject(Session).readOnly;
  protected readonly columns = ['name', 'state', 'specs', 'image', 'ips', 'actions'];
  protected readonly paging = new Paging(25);
  /** VMs with a power request on its way, so a second click does not send another. */
  protected readonly pending = signal<ReadonlySet<string>>(new Set());
  protected readonly vms = httpResource<Page<Vm>>(() => ({ url: '/api/v1/vms', params: { limit: this.paging.limit(), offset: this.paging.offset() } }));
  protected readonly specs = vmSpecs;

  constructor() {
    const events = inject(LiveEvents);
    const destroyRef = inject(DestroyRef);
    events
      .of<Vm>('vm.updated')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((vm) => this.patch(vm));
    events
      .of<Vm>('vm.created', 'vm.deleted')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.vms.reload());
  }

  protected allowed(vm: Vm, action: VmPowerAction): boolean {
    return !this.readOnly() && !this.pending().has(vm.id) && canPower(vm, action);
  }

  protected create(): void {
    void this.router.navigate(['/vms/new']);
  }

  protected async power(vm: Vm, action: VmPowerAction): Promise<void> {
    this.pending.update((ids) => new Set([...ids, vm.id]));
    try {
      const accepted = await this.api.power(vm.id, action);
      this.patch(accepted.vm);
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 8_000 });
    } finally {
      this.pending.update((ids) => new Set([...ids].filter((id) => id !== vm.id)));
    }
  }


  private patch(vm: Vm): void {
    const page = valueOf(this.vms);
    if (page?.items.some((item) => item.id === vm.id)) this.vms.set({ ...page, items: page.items.map((item) => (item.id === vm.id ? vm : item)) });
  }
}
