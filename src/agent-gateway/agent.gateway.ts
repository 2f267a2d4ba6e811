import { Injectable } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { HostsService } from '../hosts/hosts.service';
import { AgentSessionsService } from './agent-sessions.service';

export const AGENT_WS_PATH = '/ws/agent';

type AuthenticatedRequest = IncomingMessage & { agentHostId?: string };

/** `/ws/agent`: authenticated at the upgrade (see authenticate), then handed to a session. */
@WebSocketGateway({ path: AGENT_WS_PATH })
export class AgentGateway implements OnGatewayConnection {
  constructor(private readonly sessions: AgentSessionsService) {}

  handleConnection(socket: WebSocket, request: AuthenticatedRequest): void {
    this.sessions.open(request.agentHostId!, socket);
  }
}

/** Decides the upgrade of `/ws/agent`: only a live host credential gets a socket; users' tokens never do. */
@Injectable()
export class AgentUpgradeAuthenticator {
  constructor(private readonly hosts: HostsService) {}

  async authenticate(request: AuthenticatedRequest): Promise<number> {
    const [kind, credential] = (request.headers.authorization ?? '').split(' ');
    if (kind?.toLowerCase() !== 'bearer' || !credential) return 401;
    const identity = await this.hosts.authenticateAgent(credential);
    if (!identity) return 401;
    request.agentHostId = identity.hostId;
    return 0;
  }
}
