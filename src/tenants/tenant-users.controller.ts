import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal, TenantRoles } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CreateTenantUserDto, TenantUserDto, TenantUserPageDto } from './tenant.dto';
import { TenantUsersService } from './tenant-users.service';

@ApiTags('admin: tenants')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/tenants/:tenantId/users')
export class AdminTenantUsersController {
  constructor(private readonly users: TenantUsersService) {}

  @Post()
  create(@Param('tenantId', ParseObjectIdPipe) tenantId: string, @Body() body: CreateTenantUserDto): Promise<TenantUserDto> {
    return this.users.create(tenantId, body);
  }

  @Get()
  list(@Param('tenantId', ParseObjectIdPipe) tenantId: string, @Query() query: PaginationQueryDto): Promise<TenantUserPageDto> {
    return this.users.list(tenantId, query);
  }

  @Delete(':userId')
  @HttpCode(204)
  remove(@Param('tenantId', ParseObjectIdPipe) tenantId: string, @Param('userId', ParseObjectIdPipe) userId: string): Promise<void> {
    return this.users.remove(tenantId, userId);
  }
}

/** Tenant owners manage their own tenant's users; the tenant always comes from the caller's token. */
@ApiTags('users')
@ApiBearerAuth()
@Audience('tenant')
@TenantRoles('owner')
@Controller('api/v1/users')
export class TenantUsersController {
  constructor(private readonly users: TenantUsersService) {}

  @Post()
  create(@CurrentPrincipal() principal: TenantPrincipal, @Body() body: CreateTenantUserDto): Promise<TenantUserDto> {
    return this.users.create(principal.tenant.id, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: TenantPrincipal, @Query() query: PaginationQueryDto): Promise<TenantUserPageDto> {
    return this.users.list(principal.tenant.id, query);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.users.remove(principal.tenant.id, id);
  }
}
