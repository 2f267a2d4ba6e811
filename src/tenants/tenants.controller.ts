import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience } from '../common/auth/auth.decorators';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CreateTenantDto, TenantDto, TenantPageDto, UpdateTenantDto } from './tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('admin: tenants')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  /** Create a tenant with the default quota. */
  @Post()
  create(@Body() body: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(body);
  }

  /** List tenants, filtered by slug or name. */
  @Get()
  list(@Query() query: PaginationQueryDto): Promise<TenantPageDto> {
    return this.tenants.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseObjectIdPipe) id: string): Promise<TenantDto> {
    return this.tenants.get(id);
  }

  /** Rename, suspend or reactivate a tenant. */
  @Patch(':id')
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() body: UpdateTenantDto): Promise<TenantDto> {
    return this.tenants.update(id, body);
  }

  /** Delete a tenant and its users; 409 while it still owns resources. */
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.tenants.remove(id);
  }
}
