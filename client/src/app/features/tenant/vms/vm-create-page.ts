import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import type { TenantImage } from '@contracts/images';
import type { QuotaAmounts } from '@contracts/quotas';
import type { Page } from '@contracts/tenants';
import { apiErrorMessage } from '../../../core/api-error';
import { Session } from '../../../core/session';
import { LoadState } from '../../../shared/load-state';
import { QuotaPreflight } from './quota-preflight';
import { VmApi } from './vm-api';
import { buildCreateVmRequest } from './vm-create-request';
import { presetOf, VM_SIZE_PRESETS, VmSizePreset } from './vm-sizes';
import { VmGuestSetup } from './vm-guest-setup';
import { valueOf } from '../../../shared/resource-value';

const MAX_DISK_GIB = 65_536;
const evenNumber = (control: AbstractControl): ValidationErrors | null => (typeof control.value === 'number' && control.value % 2 !== 0 ? { even: true } : null);
/** A password or key is for an account: it needs the account's name. */
const userNeededForCredentials = (group: AbstractControl): ValidationErrors | null => {
  const { userName, password, sshKey } = group.value as { userName: string; password: string; sshKey: string };
  return !userName.trim() && (password || sshKey.trim()) ? { userNeeded: true } : null;
};

/**
 * Creating a VM in one form: image and name, size (presets or custom, checked against the quota as it
 * changes), guest setup by cloud-init. On 202 the VM's page shows the creation's progress.
 */
@Component({
  selector: 'app-vm-create-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    LoadState,
    QuotaPreflight,
    VmGuestSetup,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>New virtual machine</h1></header>
      @if (readOnly()) {
        <p class="muted">Your role is read-only: you cannot create VMs.</p>
      }
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title>Image and name</mat-card-title></mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="images.isLoading()" [error]="images.error()" [empty]="valueOf(images)?.total === 0" emptyText="No images are available to your tenant yet." (retry)="images.reload()">
              <div class="form-grid">
                <mat-form-field>
                  <mat-label>Image</mat-label>
                  <mat-select formControlName="imageId">
                    @for (option of valueOf(images)?.items ?? []; track option.id) {
                      <mat-option [value]="option.id" [disabled]="!option.available">
                        {{ option.name }}{{ option.available ? '' : ' (unavailable)' }}
                      </mat-option>
                    }
                  </mat-select>
                  @if (image(); as selected) {
                    <mat-hint>{{ selected.os === 'windows' ? 'Windows' : 'Linux' }} · generation {{ selected.generation }} · disk at least {{ selected.minDiskGiB }} GiB</mat-hint>
                  }
                  <mat-error>Choose an image.</mat-error>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>Name</mat-label>
                  <input matInput formControlName="name" autocomplete="off" maxlength="63" />
                  <mat-hint>Letters, digits, spaces, dots, dashes or underscores</mat-hint>
                  <mat-error>Enter a name of up to 63 characters.</mat-error>
                </mat-form-field>
              </div>
            </app-load-state>
          </mat-card-content>
        </mat-card>

        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title>Size</mat-card-title></mat-card-header>
          <mat-card-content>
            <mat-button-toggle-group class="presets" aria-label="Size preset" [value]="preset()" (change)="applyPreset($event.value)">
              @for (option of presets; track option.id) {
                <mat-button-toggle [value]="option.id">
                  {{ option.label }} <span class="preset-size muted">{{ presetSize(option) }}</span>
                </mat-button-toggle>
              }
              <mat-button-toggle value="custom">Custom</mat-button-toggle>
            </mat-button-toggle-group>
            <div class="form-grid">
              <mat-form-field>
                <mat-label>vCPU</mat-label>
                <input matInput type="number" formControlName="vcpu" min="1" max="64" />
                <mat-error>1 to 64 virtual processors.</mat-error>
              </mat-form-field>
              <mat-form-field>
                <mat-label>Memory (MiB)</mat-label>
                <input matInput type="number" formControlName="memoryMiB" min="512" step="512" />
                <mat-error>An even number of MiB, at least 512.</mat-error>
              </mat-form-field>
              <mat-form-field>
                <mat-label>Disk (GiB)</mat-label>
                <input matInput type="number" formControlName="diskGiB" [min]="minDiskGiB()" />
                <mat-error>At least {{ minDiskGiB() }} GiB for this image.</mat-error>
              </mat-form-field>
            </div>
            <app-quota-preflight [amounts]="amounts()" />
          </mat-card-content>
        </mat-card>

        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title>Guest setup</mat-card-title></mat-card-header>
          <mat-card-content>
            @if (image()?.cloudInit === false) {
              <p class="muted">This image does not run cloud-init: set the guest up from its console once it runs.</p>
            } @else {
              <app-vm-guest-setup [defaultUser]="image()?.defaultUser ?? null" />
            }
          </mat-card-content>
        </mat-card>

        <div class="submit-bar">
          <mat-checkbox formControlName="start">Start after creation</mat-checkbox>
          <span class="spacer"></span>
          <a mat-button routerLink="/vms">Cancel</a>
          <button mat-flat-button type="submit" [disabled]="!canSubmit()">Create</button>
        </div>
        @if (submitting()) {
          <mat-progress-bar mode="indeterminate" aria-label="Creating the VM" />
        }
        @if (submitError(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </form>
    </section>
  `,
  styles: `
    form {
      display: grid;
      gap: 16px;
    }
    .presets {
      margin-bottom: 16px;
      flex-wrap: wrap;
    }
    .preset-size {
      display: block;
      font: var(--mat-sys-body-small);
    }
    .submit-bar {
      display: flex;
      align-items: center;
      gap: 16px;
      flex-wrap: wrap;
    }
    .submit-bar .spacer {
      flex: 1;
    }
  `,
})
export class VmCreatePage {
  protected readonly valueOf = valueOf;
  private readonly api = inject(VmApi);
  private readonly router = inject(Router);
  protected readonly readOnly = inject(Session).readOnly;
  protected readonly presets = VM_SIZE_PRESETS;

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      imageId: ['', Validators.required],
      name: ['', [Validators.required, Validators.maxLength(63)]],
      vcpu: [2, [Validators.required, Validators.min(1), Validators.max(64)]],
      memoryMiB: [4096, [Validators.required, Validators.min(512), Validators.max(1_048_576), evenNumber]],
      diskGiB: [40, [Validators.required, Validators.min(1), Validators.max(MAX_DISK_GIB)]],
      hostname: [''],
      userName: [''],
      password: [''],
      sshKey: [''],
      sudo: [false],
      packages: [''],
      start: [true],
    },
    { validators: userNeededForCredentials },
  );
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });

  protected readonly images = httpResource<Page<TenantImage>>(() => ({ url: '/api/v1/images', params: { limit: 200 } }));
  protected readonly image = computed(() => valueOf(this.images)?.items.find((image) => image.id === this.value().imageId) ?? null);
  protected readonly minDiskGiB = computed(() => this.image()?.minDiskGiB ?? 1);
  protected readonly preset = computed(() => {
    const { vcpu, memoryMiB, diskGiB } = this.value();
    return presetOf({ vcpu: vcpu ?? 0, memoryMiB: memoryMiB ?? 0, diskGiB: diskGiB ?? 0 }, this.minDiskGiB());
  });
  /** The size to check against the quota, once every size field holds a valid number. */
  protected readonly amounts = computed((): QuotaAmounts | null => {
    const { vcpu, memoryMiB, diskGiB } = this.value();
    const { controls } = this.form;
    if (!controls.vcpu.valid || !controls.memoryMiB.valid || !controls.diskGiB.valid) return null;
    return { vcpu: vcpu!, memoryMiB: memoryMiB!, storageGiB: diskGiB!, vms: 1 };
  });

  private readonly preflight = viewChild.required(QuotaPreflight);
  protected readonly submitting = signal(false);
  protected readonly submitError = signal<string | null>(null);
  private readonly status = toSignal(this.form.statusChanges, { initialValue: this.form.status });
  protected readonly canSubmit = computed(() => this.status() === 'VALID' && this.preflight().fits() && !this.submitting() && !this.readOnly());

  constructor() {
    // Start from the first image a VM can be created from now.
    effect(() => {
      const first = valueOf(this.images)?.items.find((image) => image.available);
      if (first && !this.form.controls.imageId.value) this.form.controls.imageId.setValue(first.id);
    });
    // The disk may not be smaller than the image's.
    effect(() => {
      const min = this.minDiskGiB();
      const disk = this.form.controls.diskGiB;
      disk.setValidators([Validators.required, Validators.min(min), Validators.max(MAX_DISK_GIB)]);
      if ((disk.value ?? 0) < min) disk.setValue(min);
      else disk.updateValueAndValidity();
    });
  }

  protected applyPreset(id: VmSizePreset['id'] | 'custom'): void {
    const preset = VM_SIZE_PRESETS.find((candidate) => candidate.id === id);
    if (!preset) return;
    this.form.patchValue({ vcpu: preset.vcpu, memoryMiB: preset.memoryMiB, diskGiB: Math.max(preset.diskGiB, this.minDiskGiB()) });
  }

  protected presetSize(preset: VmSizePreset): string {
    return `${preset.vcpu} vCPU · ${preset.memoryMiB / 1024} GiB · ${Math.max(preset.diskGiB, this.minDiskGiB())} GiB`;
  }

  protected async submit(): Promise<void> {
    if (!this.canSubmit()) return;
    this.submitting.set(true);
    this.submitError.set(null);
    try {
      const accepted = await this.api.create(buildCreateVmRequest(this.form.getRawValue(), this.image()?.cloudInit ?? false));
      await this.router.navigate(['/vms', accepted.vm.id]);
    } catch (error) {
      this.submitError.set(apiErrorMessage(error));
    } finally {
      this.submitting.set(false);
    }
  }
}
