import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found-page',
  imports: [MatButtonModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Page not found</h1>
      <p class="muted">There is nothing at this address.</p>
      <a mat-flat-button routerLink="..">Back</a>
    </section>
  `,
})
export class NotFoundPage {}
