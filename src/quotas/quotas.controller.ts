import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { QuotaCheckDto, QuotaCheckResultDto, QuotaDto, QuotaHistoryDto, QuotaHistoryQueryDto, QuotaLimitsDto, QuotaReservationListDto } from './quota.dto';
import { QuotasService } from './quotas.service';

@ApiTags('quota')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/quota')
export class QuotaController {
  constructor(private readonly quotas: QuotasService) {}

  /** The caller's tenant limits and usage (committed and held). */
  @Get()
  get(@CurrentPrincipal() principal: TenantPrincipal): Promise<QuotaDto> {
    return this.quotas.getQuota(principal.tenant.id);
  }

  /** Whether a request of this size fits now, and which limits it would pass otherwise (changes nothing). */
  @Post('check')
  @HttpCode(200)
  check(@CurrentPrincipal() principal: TenantPrincipal, @Body() body: QuotaCheckDto): Promise<QuotaCheckResultDto> {
    return this.quotas.check(principal.tenant.id, body);
  }

  /** Quota held by requests still running, oldest first. */
  @Get('reservations')
  reservations(@CurrentPrincipal() principal: TenantPrincipal): Promise<QuotaReservationListDto> {
    return this.quotas.heldReservations(principal.tenant.id);
  }

  /** Committed and held usage over time (default: the last 24 hours), at most 500 points. */
  @Get('history')
  history(@CurrentPrincipal() principal: TenantPrincipal, @Query() query: QuotaHistoryQueryDto): Promise<QuotaHistoryDto> {
    return this.quotas.history(principal.tenant.id, query.from, query.to);
  }
}

@ApiTags('admin: tenants')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/tenants/:id/quota')
export class AdminQuotaController {
  constructor(private readonly quotas: QuotasService) {}

  /** A tenant's limits and usage (committed and held). */
  @Get()
  get(@Param('id', ParseObjectIdPipe) tenantId: string): Promise<QuotaDto> {
    return this.quotas.getQuota(tenantId);
  }

  /** Replace a tenant's limits (may be set below current usage: existing VMs stay, new requests are refused). */
  @Put()
  set(@Param('id', ParseObjectIdPipe) tenantId: string, @Body() limits: QuotaLimitsDto): Promise<QuotaLimitsDto> {
    return this.quotas.setLimits(tenantId, limits);
  }

  /** Whether a request of this size fits in the tenant's quota now (changes nothing). */
  @Post('check')
  @HttpCode(200)
  check(@Param('id', ParseObjectIdPipe) tenantId: string, @Body() body: QuotaCheckDto): Promise<QuotaCheckResultDto> {
    return this.quotas.check(tenantId, body);
  }

  /** Quota the tenant's running requests hold, oldest first. */
  @Get('reservations')
  reservations(@Param('id', ParseObjectIdPipe) tenantId: string): Promise<QuotaReservationListDto> {
    return this.quotas.heldReservations(tenantId);
  }

  /** The tenant's committed and held usage over time (default: the last 24 hours), at most 500 points. */
  @Get('history')
  history(@Param('id', ParseObjectIdPipe) tenantId: string, @Query() query: QuotaHistoryQueryDto): Promise<QuotaHistoryDto> {
    return this.quotas.history(tenantId, query.from, query.to);
  }
}
