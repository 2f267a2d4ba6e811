import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Area, loginPath, Session } from './session';

/** Lets only a session of `area` in; anyone else goes to that area's sign-in page. */
export function areaGuard(area: Area): CanActivateFn {
  return (_route, state) => {
    const session = inject(Session);
    if (session.area() === area) return true;
    return inject(Router).createUrlTree([loginPath(area)], { queryParams: { returnUrl: state.url } });
  };
}
