import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { QuotaDto, QuotaLimitsDto } from './quota.dto';
import { QuotasService } from './quotas.service';

@ApiTags('quota')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/quota')
export class QuotaController {
  constructor(private readonly quotas: QuotasService) {}

  /** The caller's tenant limits and usage. */
  @Get()
  async get(@CurrentPrincipal() principal: TenantPrincipal): Promise<QuotaDto> {
    const tenantId = principal.tenant.id;
    const [limits, usage] = await Promise.all([this.quotas.getLimits(tenantId), this.quotas.getUsage(tenantId)]);
    return { limits, usage };
  }
}

@ApiTags('admin: tenants')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/tenants/:id/quota')
export class AdminQuotaController {
  constructor(private readonly quotas: QuotasService) {}

  /** A tenant's limits and usage. */
  @Get()
  async get(@Param('id', ParseObjectIdPipe) tenantId: string): Promise<QuotaDto> {
    const [limits, usage] = await Promise.all([this.quotas.getLimits(tenantId), this.quotas.getUsage(tenantId)]);
    return { limits, usage };
  }

  /** Replace a tenant's limits (may be set below current usage: existing VMs stay, new requests are refused). */
  @Put()
  set(@Param('id', ParseObjectIdPipe) tenantId: string, @Body() limits: QuotaLimitsDto): Promise<QuotaLimitsDto> {
    return this.quotas.setLimits(tenantId, limits);
  }
}
