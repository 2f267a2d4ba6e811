import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { CreateImageRequest, Image, IMAGE_GENERATIONS, IMAGE_OS, ImageGeneration, ImageOs, ImageVisibility, UpdateImageRequest } from '@contracts/images';
import type { Tenant } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { TenantPicker } from '../tenants/tenant-picker';

export interface ImageDialogData {
  /** The image to edit; absent to create one. */
  image?: Image;
  /** Names of tenants by id, to show an edited image's tenants by name. */
  tenants: ReadonlyMap<string, Tenant>;
}

/** The server's rules, checked here too so mistakes show before sending. */
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const FILE_NAME = /^[^\\/:*?"<>|\x00-\x1f]+\.vhdx$/i;
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** Adds an image to the catalog or edits one. Closes with the stored image. */
@Component({
  selector: 'app-image-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TenantPicker,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.image ? 'Edit ' + data.image.name : 'New image' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content>
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" aria-label="Saving" />
        }
        <div class="form-grid">
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" />
            <mat-hint>e.g. ubuntu-24.04</mat-hint>
          </mat-form-field>
          <mat-form-field>
            <mat-label>File name</mat-label>
            <input matInput formControlName="fileName" autocomplete="off" class="mono" />
            <mat-hint>A .vhdx in the hosts' library</mat-hint>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Operating system</mat-label>
            <mat-select formControlName="os">
              @for (os of osOptions; track os) {
                <mat-option [value]="os">{{ os === 'linux' ? 'Linux' : 'Windows' }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Generation</mat-label>
            <mat-select formControlName="generation">
              @for (generation of generations; track generation) {
                <mat-option [value]="generation">{{ generation === 2 ? '2 (UEFI)' : '1 (BIOS)' }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Minimum disk (GiB)</mat-label>
            <input matInput type="number" min="1" formControlName="minDiskGiB" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>Default user</mat-label>
            <input matInput formControlName="defaultUser" autocomplete="off" />
            <mat-hint>Empty if the image has its own</mat-hint>
          </mat-form-field>
        </div>
        <mat-checkbox formControlName="cloudInit">Runs cloud-init</mat-checkbox>
        <mat-form-field class="full-width visibility">
          <mat-label>Visibility</mat-label>
          <mat-select formControlName="visibility">
            <mat-option value="public">Public: every tenant</mat-option>
            <mat-option value="tenants">Only the tenants chosen below</mat-option>
          </mat-select>
        </mat-form-field>
        @if (visibility() === 'tenants') {
          <mat-chip-set aria-label="Tenants that may use the image">
            @for (tenant of tenants(); track tenant.id) {
              <mat-chip (removed)="removeTenant(tenant.id)">
                {{ tenant.name }}
                <button matChipRemove [attr.aria-label]="'Remove ' + tenant.name"><mat-icon>cancel</mat-icon></button>
              </mat-chip>
            } @empty {
              <span class="muted">No tenant chosen yet.</span>
            }
          </mat-chip-set>
          <app-tenant-picker label="Add tenant" [clearOnPick]="true" (tenantChange)="addTenant($event)" />
        }
        @if (error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ data.image ? 'Save' : 'Create' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .visibility {
      margin-top: 16px;
    }
    mat-chip-set {
      display: block;
      margin-bottom: 12px;
    }
  `,
})
export class ImageDialog {
  protected readonly data = inject<ImageDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<ImageDialog, Image>>(MatDialogRef);
  private readonly http = inject(HttpClient);
  protected readonly osOptions = IMAGE_OS;
  protected readonly generations = IMAGE_GENERATIONS;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    name: new FormControl(this.data.image?.name ?? '', { nonNullable: true, validators: [Validators.required, Validators.pattern(IMAGE_NAME)] }),
    fileName: new FormControl(this.data.image?.fileName ?? '', { nonNullable: true, validators: [Validators.required, Validators.pattern(FILE_NAME)] }),
    os: new FormControl<ImageOs>(this.data.image?.os ?? 'linux', { nonNullable: true }),
    generation: new FormControl<ImageGeneration>(this.data.image?.generation ?? 2, { nonNullable: true }),
    minDiskGiB: new FormControl(this.data.image?.minDiskGiB ?? 10, { nonNullable: true, validators: [Validators.required, Validators.min(1)] }),
    defaultUser: new FormControl(this.data.image?.defaultUser ?? '', { nonNullable: true, validators: [Validators.pattern(USER_NAME)] }),
    cloudInit: new FormControl(this.data.image?.cloudInit ?? true, { nonNullable: true }),
    visibility: new FormControl<ImageVisibility>(this.data.image?.visibility ?? 'public', { nonNullable: true }),
  });
  protected readonly visibility = toSignal(this.form.controls.visibility.valueChanges, { initialValue: this.form.controls.visibility.value });
  protected readonly tenants = signal<{ id: string; name: string }[]>(
    (this.data.image?.tenantIds ?? []).map((id) => ({ id, name: this.data.tenants.get(id)?.name ?? id })),
  );

  protected addTenant(tenant: Tenant | null): void {
    if (tenant && !this.tenants().some((chosen) => chosen.id === tenant.id)) this.tenants.update((chosen) => [...chosen, { id: tenant.id, name: tenant.name }]);
  }

  protected removeTenant(id: string): void {
    this.tenants.update((chosen) => chosen.filter((tenant) => tenant.id !== id));
  }

  protected async submit(): Promise<void> {
    const problem = this.problem();
    if (problem) return this.error.set(problem);
    const { defaultUser, minDiskGiB, visibility, ...rest } = this.form.getRawValue();
    const tenantIds = visibility === 'tenants' ? this.tenants().map((tenant) => tenant.id) : undefined;
    const fields = { ...rest, name: rest.name.trim(), minDiskGiB: Number(minDiskGiB), visibility, ...(tenantIds && { tenantIds }) };
    this.busy.set(true);
    this.error.set(null);
    try {
      const image = this.data.image;
      const stored = image
        ? await firstValueFrom(this.http.patch<Image>(`/api/v1/admin/images/${image.id}`, { ...fields, defaultUser: defaultUser.trim() || null } satisfies UpdateImageRequest))
        : await firstValueFrom(this.http.post<Image>('/api/v1/admin/images', { ...fields, ...(defaultUser.trim() && { defaultUser: defaultUser.trim() }) } satisfies CreateImageRequest));
      this.dialogRef.close(stored);
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  private problem(): string | null {
    const controls = this.form.controls;
    if (controls.name.invalid) return 'The name takes 1–63 letters, digits, dots, dashes or underscores, starting with a letter or digit.';
    if (controls.fileName.invalid) return 'The file name must end in .vhdx, without a path or any of : * ? " < > |';
    if (controls.minDiskGiB.invalid) return 'The minimum disk is a whole number of GiB, at least 1.';
    if (controls.defaultUser.invalid) return 'The default user takes 1–32 letters, digits, dots, dashes or underscores, not starting with a digit, dot or dash.';
    if (controls.visibility.value === 'tenants' && this.tenants().length === 0) return 'Choose at least one tenant, or make the image public.';
    return null;
  }
}
