import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request's correlation id: a caller's X-Request-Id when it is sane (so one id follows a
 * request across systems), else a new UUID. Assigned once, before any parsing can fail.
 */
export function assignRequestId(request: IncomingMessage & { id?: unknown }, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const offered = request.headers['x-request-id'];
  const id = typeof offered === 'string' && SANE_ID.test(offered) ? offered : randomUUID();
  request.id = id;
  response.setHeader('X-Request-Id', id);
  return id;
}
