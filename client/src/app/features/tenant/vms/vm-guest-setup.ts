import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ControlContainer, ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

/**
 * The cloud-init part of the create form: host name, one account with its password and SSH key, and
 * packages. Its fields belong to the enclosing form group, which has the controls `hostname`, `userName`,
 * `password`, `sshKey`, `sudo`, `packages` (and the `userNeeded` error when a credential lacks a user).
 */
@Component({
  selector: 'app-vm-guest-setup',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatCheckboxModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  template: `
    <div>
      <p class="muted">
        Applied by cloud-init on first boot; all optional.
        @if (defaultUser()) {
          The image also creates its own user, {{ defaultUser() }}.
        }
      </p>
      <div class="form-grid">
        <mat-form-field>
          <mat-label>Hostname</mat-label>
          <input matInput formControlName="hostname" autocomplete="off" />
          <mat-hint>Defaults to one derived from the VM name</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>User name</mat-label>
          <input matInput formControlName="userName" autocomplete="off" />
          <mat-hint>A Linux account, e.g. alice</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="new-password" />
          <mat-hint>For the serial console and SSH</mat-hint>
        </mat-form-field>
      </div>
      <mat-form-field class="full-width">
        <mat-label>SSH public key</mat-label>
        <textarea matInput formControlName="sshKey" rows="2" class="mono" placeholder="ssh-ed25519 AAAA… alice@laptop"></textarea>
        <mat-hint>One key per line, as in authorized_keys</mat-hint>
      </mat-form-field>
      <mat-checkbox formControlName="sudo">Passwordless sudo for this user</mat-checkbox>
      @if (form.control?.hasError('userNeeded')) {
        <p class="error-text" role="alert">Enter a user name for this password or key.</p>
      }
      <mat-form-field class="full-width packages">
        <mat-label>Packages</mat-label>
        <textarea matInput formControlName="packages" rows="2" placeholder="nginx, htop"></textarea>
        <mat-hint>Separated by commas or new lines</mat-hint>
      </mat-form-field>
    </div>
  `,
  styles: `
    .packages {
      margin-top: 16px;
    }
  `,
})
export class VmGuestSetup {
  protected readonly form = inject(ControlContainer, { skipSelf: true });
  readonly defaultUser = input<string | null>(null);
}
