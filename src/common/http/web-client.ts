import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the server itself answers; everything else that asks for HTML is a page of the web client. */
const SERVER_PATHS = /^\/(api|ws|metrics)(\/|$)/;
/** Angular's build names its scripts, styles and media by content hash: they never change under a name. */
const HASHED_FILE = /-[A-Z0-9]{8}\.(js|css|woff2?|ttf|svg|png)$/;

/**
 * The built Angular client at `/`: its files through express.static, and index.html for any other
 * GET that wants HTML, so deep links (`/vms/…`, `/admin/tenants/…`) load the app, which routes them.
 * Answers false (and serves nothing) when the client has not been built.
 */
export function serveWebClient(app: { use(...handlers: unknown[]): unknown }, dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const files = express.static(dir, {
    index: false,
    setHeaders: (response, path) => response.setHeader('Cache-Control', HASHED_FILE.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (SERVER_PATHS.test(request.path)) return next();
    files(request, response, () => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.accepts('html')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  });
  return true;
}
