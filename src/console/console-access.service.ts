import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../common/auth/principal';
import { AppException } from '../common/errors/app-exception';
import { CONSOLE_WS_PATH } from '../contracts/console';
import { ErrorCode } from '../contracts/error-code';
import { VmRecordsService, VmScope } from '../vms/vm-records.service';
import { ConsoleTicketDto } from './console.dto';
import { ConsoleGrant, ConsoleTicketsService } from './console-tickets.service';
import { ConsoleTarget } from './console-sessions.service';

/** VM states whose console cannot be reached: no host has the VM (yet, or any more). */
const UNREACHABLE = new Set(['provisioning', 'deleting', 'missing']);

export type ConsoleUpgradeRequest = IncomingMessage & { consoleGrant?: ConsoleGrant; consoleTarget?: ConsoleTarget };

/** Who may open which console: issues tickets, and checks them again when the socket is opened. */
@Injectable()
export class ConsoleAccessService {
  constructor(
    private readonly tickets: ConsoleTicketsService,
    private readonly vms: VmRecordsService,
    private readonly auth: AuthService,
  ) {}

  async issue(vmId: string, principal: Principal, scope: VmScope): Promise<ConsoleTicketDto> {
    const vm = await this.vms.findInScope(vmId, scope);
    if (!vm.hostId || UNREACHABLE.has(vm.state)) {
      throw AppException.conflict(`VM '${vm.name}' is ${vm.state}: its console cannot be reached`, ErrorCode.InvalidState);
    }
    const { ticket, expiresAt } = await this.tickets.issue({
      principal: { id: principal.id, email: principal.email, scope: principal.scope, role: principal.role },
      tenantId: vm.tenantId.toHexString(),
      vm: { id: vm.id as string, name: vm.name },
      readOnly: principal.role === 'viewer',
    });
    return { ticket, url: `${CONSOLE_WS_PATH}?ticket=${ticket}`, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Decides a `/ws/console` upgrade: 401 for a missing, used or expired ticket or a user who is gone,
   * 403 when the user may no longer reach the VM (tenant suspended, VM deleted or moved out of reach).
   */
  async authenticateUpgrade(request: ConsoleUpgradeRequest): Promise<number> {
    const ticket = new URL(request.url ?? '', 'http://localhost').searchParams.get('ticket');
    const grant = ticket ? await this.tickets.redeem(ticket) : null;
    if (!grant) return 401;
    const { principal } = grant;
    try {
      await this.auth.resolvePrincipal({ scope: principal.scope, userId: principal.id, tenantId: principal.scope === 'tenant' ? grant.tenantId : undefined });
    } catch (error) {
      return error instanceof AppException ? error.getStatus() : 500;
    }
    const vm = await this.vms.find(grant.vm.id);
    if (!vm || vm.tenantId.toHexString() !== grant.tenantId || !vm.hostId) return 403;
    request.consoleGrant = grant;
    request.consoleTarget = { hostId: vm.hostId.toHexString(), hypervisorId: vm.hypervisorId };
    return 0;
  }
}
