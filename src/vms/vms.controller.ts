import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { Principal, TenantPrincipal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { AdminCreateVmDto, AdminVmDto, AdminVmListQueryDto, AdminVmPageDto, CloneVmDto, CreateVmDto, PowerVmDto, UpdateVmDto, VmDto, VmListQueryDto, VmPageDto, VmTaskDto } from './vm.dto';
import { VmRecordsService, VmScope } from './vm-records.service';
import { VmWorkflowsService } from './vm-workflows.service';

const scopeOf = (principal: TenantPrincipal): VmScope => ({ tenantId: principal.tenant.id });

@ApiTags('vms')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/vms')
export class VmsController {
  constructor(
    private readonly records: VmRecordsService,
    private readonly workflows: VmWorkflowsService,
  ) {}

  /** Create a VM from an image (202: the work continues in the returned task). Over quota → 422 QUOTA_EXCEEDED; no host with room → 409 NO_CAPACITY. */
  @Post()
  @HttpCode(202)
  create(@CurrentPrincipal() principal: TenantPrincipal, @Body() body: CreateVmDto): Promise<VmTaskDto> {
    return this.workflows.create(principal.tenant.id, body, principal, scopeOf(principal));
  }

  @Get()
  async list(@CurrentPrincipal() principal: TenantPrincipal, @Query() query: VmListQueryDto): Promise<VmPageDto> {
    const page = await this.records.list(query, scopeOf(principal));
    return { items: await this.records.toDtos(page.items, scopeOf(principal)), total: page.total };
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<VmDto> {
    return this.records.toDto(await this.records.findInScope(id, scopeOf(principal)), scopeOf(principal));
  }

  /** Resize (202). Disks only grow; processor and memory changes of a running VM need restart: true, else 409 VM_MUST_BE_OFF. */
  @Patch(':id')
  @HttpCode(202)
  update(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: UpdateVmDto): Promise<VmTaskDto> {
    return this.workflows.edit(id, scopeOf(principal), body, principal);
  }

  /** Copy a VM that is off into a new VM (202); counts against quota. */
  @Post(':id/clone')
  @HttpCode(202)
  clone(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: CloneVmDto): Promise<VmTaskDto> {
    return this.workflows.clone(id, scopeOf(principal), body, principal);
  }

  /** Power action (202); one that does not apply to the VM's state → 409 INVALID_STATE. */
  @Post(':id/power')
  @HttpCode(202)
  power(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: PowerVmDto): Promise<VmTaskDto> {
    return this.workflows.power(id, scopeOf(principal), body.action, principal);
  }

  /** Stop if needed, remove the VM and its disks, give its quota back (202). */
  @Delete(':id')
  @HttpCode(202)
  remove(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<VmTaskDto> {
    return this.workflows.delete(id, scopeOf(principal), principal);
  }
}

@ApiTags('admin: vms')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin')
export class AdminVmsController {
  constructor(
    private readonly records: VmRecordsService,
    private readonly workflows: VmWorkflowsService,
  ) {}

  /** Create a VM on a tenant's behalf (its quota applies); `hostId` pins the host. */
  @Post('tenants/:id/vms')
  @HttpCode(202)
  create(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) tenantId: string, @Body() body: AdminCreateVmDto): Promise<VmTaskDto> {
    return this.workflows.create(tenantId, body, principal, {});
  }

  /** VMs of every tenant; filter with tenantId, hostId, state, q. */
  @Get('vms')
  async list(@Query() query: AdminVmListQueryDto): Promise<AdminVmPageDto> {
    const page = await this.records.list(query, {});
    return { items: (await this.records.toDtos(page.items, {})) as AdminVmDto[], total: page.total };
  }

  @Get('vms/:id')
  async get(@Param('id', ParseObjectIdPipe) id: string): Promise<AdminVmDto> {
    return (await this.records.toDto(await this.records.findInScope(id, {}), {})) as AdminVmDto;
  }

  @Patch('vms/:id')
  @HttpCode(202)
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: UpdateVmDto): Promise<VmTaskDto> {
    return this.workflows.edit(id, {}, body, principal);
  }

  @Post('vms/:id/clone')
  @HttpCode(202)
  clone(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: CloneVmDto): Promise<VmTaskDto> {
    return this.workflows.clone(id, {}, body, principal);
  }

  @Post('vms/:id/power')
  @HttpCode(202)
  power(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string, @Body() body: PowerVmDto): Promise<VmTaskDto> {
    return this.workflows.power(id, {}, body.action, principal);
  }

  @Delete('vms/:id')
  @HttpCode(202)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string): Promise<VmTaskDto> {
    return this.workflows.delete(id, {}, principal);
  }
}
