import { Inject } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CONSOLE_WS_PATH } from '../contracts/console';
import { ConsoleUpgradeRequest } from './console-access.service';
import { ConsoleSessionsService } from './console-sessions.service';

/** Keystrokes and pastes are small; a bigger frame is refused by ws before it is buffered whole. */
const MAX_BROWSER_FRAME_BYTES = 64 * 1024;

/** `/ws/console?ticket=…`: the ticket is redeemed at the upgrade (ConsoleAccessService), then the session starts. */
@WebSocketGateway({ path: CONSOLE_WS_PATH, maxPayload: MAX_BROWSER_FRAME_BYTES })
export class ConsoleGateway implements OnGatewayConnection {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  handleConnection(socket: WebSocket, request: ConsoleUpgradeRequest): void {
    void this.sessions.start(socket, request.consoleGrant!, request.consoleTarget!, this.clientAddress(request));
  }

  /** Behind a trusted proxy, the first X-Forwarded-For address is the browser's. */
  private clientAddress(request: ConsoleUpgradeRequest): string | null {
    const forwarded = request.headers['x-forwarded-for'];
    if (this.config.http.trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0].trim();
    return request.socket.remoteAddress ?? null;
  }
}
