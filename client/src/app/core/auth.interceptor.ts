import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { Session } from './session';

const withToken = (request: HttpRequest<unknown>, token: string | null) =>
  token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;

/**
 * Sends the access token with every API call; on a 401 it refreshes the session once and retries, and
 * when that fails too the user goes back to sign-in with a message.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/')) return next(request);
  const session = inject(Session);
  return next(withToken(request, session.accessToken())).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || !session.current()) return throwError(() => error);
      return from(session.refresh()).pipe(
        switchMap((token) => {
          if (token) return next(withToken(request, token));
          void session.expire('Your session has ended. Sign in again.');
          return throwError(() => error);
        }),
      );
    }),
  );
};
