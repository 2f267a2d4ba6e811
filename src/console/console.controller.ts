import { Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal, ViewerMayWrite } from '../common/auth/auth.decorators';
import { Principal, TenantPrincipal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ConsoleTicketDto } from './console.dto';
import { ConsoleAccessService } from './console-access.service';

@ApiTags('vms')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/vms')
export class ConsoleController {
  constructor(private readonly access: ConsoleAccessService) {}

  /**
   * A single-use ticket for the VM's serial console: open `url` (a WebSocket) within the ticket's
   * lifetime. Viewers get a read-only session.
   */
  @Post(':id/console')
  @ViewerMayWrite()
  issue(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<ConsoleTicketDto> {
    return this.access.issue(id, principal, { tenantId: principal.tenant.id });
  }
}

@ApiTags('admin: vms')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/vms')
export class AdminConsoleController {
  constructor(private readonly access: ConsoleAccessService) {}

  /** A single-use ticket for any VM's serial console. */
  @Post(':id/console')
  issue(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string): Promise<ConsoleTicketDto> {
    return this.access.issue(id, principal, {});
  }
}
