import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { Principal } from '../common/auth/principal';
import { ParseHypervisorIdPipe } from './parse-hypervisor-id.pipe';
import { AdoptVmDto, UnmanagedVmPageDto, VmTaskDto } from './vm.dto';
import { VmInventoryService } from './vm-inventory.service';

@ApiTags('admin: vms')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/unmanaged-vms')
export class UnmanagedVmsController {
  constructor(private readonly inventory: VmInventoryService) {}

  /** VMs that hosts report but OpenHVX does not manage (made outside it, or left behind). */
  @Get()
  list(): Promise<UnmanagedVmPageDto> {
    return this.inventory.listUnmanaged();
  }

  /** Adopt into a tenant (202): it counts into the tenant's usage; over quota → 422 QUOTA_EXCEEDED unless force. */
  @Post(':id/adopt')
  @HttpCode(202)
  adopt(@CurrentPrincipal() principal: Principal, @Param('id', ParseHypervisorIdPipe) id: string, @Body() body: AdoptVmDto): Promise<VmTaskDto> {
    return this.inventory.adopt(id, body, principal);
  }
}
