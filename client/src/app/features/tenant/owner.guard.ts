import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Session } from '../../core/session';

/** Tenant owners only (the server refuses the rest anyway); anyone else lands on the dashboard. */
export const ownerGuard: CanActivateFn = () => inject(Session).me()?.role === 'owner' || inject(Router).createUrlTree(['/']);
