import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';

/** Decides an upgrade request: 0 lets it through, an HTTP status refuses it with that status. */
export type UpgradeAuthenticator = (request: IncomingMessage) => Promise<number>;

/**
 * The ws adapter, plus authentication at the HTTP upgrade: a refused socket never opens, so an
 * unauthenticated client gets a plain 401/403 and no WebSocket session exists to clean up.
 */
export class UpgradeAuthWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly authenticators: ReadonlyMap<string, UpgradeAuthenticator>,
  ) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}) {
    const authenticate = options.path ? this.authenticators.get(options.path) : undefined;
    if (!authenticate) return super.create(port, options);
    return super.create(port, {
      ...options,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, status?: number) => void) => {
        authenticate(info.req).then(
          (status) => (status === 0 ? done(true) : done(false, status)),
          () => done(false, 500),
        );
      },
    });
  }
}
