import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorBody } from '@contracts/error-code';

/** The API's error body, when `error` is one. */
export function apiErrorBody(error: unknown): ErrorBody | null {
  if (error instanceof HttpErrorResponse && error.error && typeof error.error === 'object' && 'code' in error.error) return error.error as ErrorBody;
  return null;
}

/** The human message of an API error (the server's own words), or a plain one for network trouble. */
export function apiErrorMessage(error: unknown): string {
  const body = apiErrorBody(error);
  if (body) return body.message;
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The server cannot be reached. Check your connection and try again.';
    return `The server answered ${error.status} ${error.statusText}`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}
