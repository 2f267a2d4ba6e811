import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience } from '../common/auth/auth.decorators';
import { AuditEventPageDto, AuditListQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('admin: audit')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit trail, newest first; filter by action, tenant, target, time range, or actor email (`q`). */
  @Get()
  list(@Query() query: AuditListQueryDto): Promise<AuditEventPageDto> {
    return this.audit.list(query);
  }
}
