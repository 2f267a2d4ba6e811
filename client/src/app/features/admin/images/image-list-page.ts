import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { Image, ImagePage } from '@contracts/images';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { debounced } from '../debounced';
import { tenantNames } from '../tenants/tenant-names';
import { ImageDialog, ImageDialogData } from './image-dialog';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/** The image catalog: what tenants may create VMs from, and which hosts carry each image's file. */
@Component({
  selector: 'app-image-list-page',
  imports: [MatTableModule, MatPaginatorModule, MatButtonModule, MatIconModule, MatFormFieldModule, MatInputModule, MatTooltipModule, RouterLink, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header">
        <h1>Images</h1>
        <button mat-flat-button (click)="edit()"><mat-icon>add</mat-icon>New image</button>
      </header>
      <mat-form-field class="search">
        <mat-label>Search</mat-label>
        <input matInput type="search" [value]="text()" (input)="text.set($any($event.target).value)" autocomplete="off" />
        <mat-icon matSuffix>search</mat-icon>
      </mat-form-field>
      <app-load-state
        [loading]="images.isLoading()"
        [error]="images.error()"
        [empty]="valueOf(images)?.total === 0"
        [emptyText]="query() ? 'No image matches.' : 'The catalog is empty: add an image whose file the hosts have.'"
        (retry)="images.reload()"
      >
        <div class="scroll">
          <table mat-table [dataSource]="valueOf(images)?.items ?? []" aria-label="Images">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let image">{{ image.name }}</td>
            </ng-container>
            <ng-container matColumnDef="os">
              <th mat-header-cell *matHeaderCellDef>OS</th>
              <td mat-cell *matCellDef="let image">{{ image.os === 'linux' ? 'Linux' : 'Windows' }} · gen {{ image.generation }}</td>
            </ng-container>
            <ng-container matColumnDef="file">
              <th mat-header-cell *matHeaderCellDef>File</th>
              <td mat-cell *matCellDef="let image" class="mono">{{ image.fileName }}</td>
            </ng-container>
            <ng-container matColumnDef="setup">
              <th mat-header-cell *matHeaderCellDef>Setup</th>
              <td mat-cell *matCellDef="let image" class="muted">
                ≥ {{ image.minDiskGiB }} GiB · {{ image.cloudInit ? 'cloud-init' : 'no cloud-init' }}{{ image.defaultUser ? ' · user ' + image.defaultUser : '' }}
              </td>
            </ng-container>
            <ng-container matColumnDef="visibility">
              <th mat-header-cell *matHeaderCellDef>Visible to</th>
              <td mat-cell *matCellDef="let image">{{ visibleTo(image) }}</td>
            </ng-container>
            <ng-container matColumnDef="hosts">
              <th mat-header-cell *matHeaderCellDef>On hosts</th>
              <td mat-cell *matCellDef="let image">
                @for (host of image.hosts; track host.id; let last = $last) {
                  <a [routerLink]="['/admin/hosts', host.id]" [matTooltip]="host.status">{{ host.name }}</a>{{ last ? '' : ', ' }}
                } @empty {
                  <span class="error-text">No host has the file</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
              <td mat-cell *matCellDef="let image" class="actions">
                <button mat-icon-button [attr.aria-label]="'Edit ' + image.name" (click)="edit(image)"><mat-icon>edit</mat-icon></button>
                <button mat-icon-button [attr.aria-label]="'Delete ' + image.name" [disabled]="deleting() === image.id" (click)="remove(image)"><mat-icon>delete</mat-icon></button>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </div>
        <mat-paginator [length]="valueOf(images)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    .search {
      width: min(360px, 100%);
    }
    .scroll {
      overflow-x: auto;
    }
    .actions {
      white-space: nowrap;
      width: 96px;
    }
  `,
})
export class ImageListPage {
  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly columns = ['name', 'os', 'file', 'setup', 'visibility', 'hosts', 'actions'];
  protected readonly text = signal('');
  protected readonly query = debounced(this.text);
  protected readonly paging = new Paging(25, this.query);
  protected readonly images = httpResource<ImagePage>(() => ({
    url: '/api/v1/admin/images',
    params: { limit: this.paging.limit(), offset: this.paging.offset(), ...(this.query().trim() ? { q: this.query().trim() } : {}) },
  }));
  private readonly tenants = tenantNames();
  protected readonly deleting = signal<string | null>(null);

  protected visibleTo(image: Image): string {
    if (image.visibility === 'public') return 'Every tenant';
    return image.tenantIds.map((id) => this.tenants().get(id)?.name ?? id).join(', ');
  }


  protected async edit(image?: Image): Promise<void> {
    const data: ImageDialogData = { image, tenants: this.tenants() };
    const stored = await firstValueFrom(this.dialog.open<ImageDialog, ImageDialogData, Image>(ImageDialog, { data, width: '640px' }).afterClosed());
    if (!stored) return;
    this.snackBar.open(image ? `Image ${stored.name} saved` : `Image ${stored.name} added`, undefined, { duration: 3_000 });
    this.images.reload();
  }

  protected async remove(image: Image): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Delete image ${image.name}?`,
      message: 'It leaves the catalog; its file stays on the hosts. An image that VMs still use cannot be deleted.',
      confirmLabel: 'Delete',
    });
    if (!confirmed) return;
    this.deleting.set(image.id);
    try {
      await firstValueFrom(this.http.delete(`/api/v1/admin/images/${image.id}`));
      this.snackBar.open(`Image ${image.name} deleted`, undefined, { duration: 3_000 });
      this.images.reload();
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 10_000 });
    } finally {
      this.deleting.set(null);
    }
  }
}
