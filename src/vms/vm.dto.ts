import { Type } from 'class-transformer';
import { IsBoolean, IsDivisibleBy, IsIn, IsInt, IsMongoId, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { VM_POWER_ACTIONS, VmPowerAction } from '../contracts/agent-protocol';
import { AdminVm, AdminVmPage, AdoptVmRequest, CloneVmRequest, CreateVmRequest, PowerVmRequest, UnmanagedVm, UnmanagedVmPage, UpdateVmRequest, Vm, VM_STATES, VmSize, VmState, VmTask } from '../contracts/vms';
import { TaskDto } from '../tasks/task.dto';
import { CloudInitDto } from './cloud-init/cloud-init.dto';

const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
const VM_NAME_MESSAGE = 'name must be 1-63 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit';

class VmSizeFields implements VmSize {
  @IsInt()
  @Min(1)
  @Max(64)
  vcpu: number;

  /** Hyper-V assigns memory in 2 MiB units. */
  @IsInt()
  @Min(512)
  @Max(1_048_576)
  @IsDivisibleBy(2, { message: 'memoryMiB must be a multiple of 2' })
  memoryMiB: number;

  /** Size of the system disk; at least the image's minimum. */
  @IsInt()
  @Min(1)
  @Max(65_536)
  diskGiB: number;
}

export class CreateVmDto extends VmSizeFields implements CreateVmRequest {
  @IsString()
  @Matches(VM_NAME, { message: VM_NAME_MESSAGE })
  name: string;

  @IsMongoId()
  imageId: string;

  /** Structured cloud-init settings, or `{userData}` with a complete user-data document. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CloudInitDto)
  cloudInit?: CloudInitDto;

  /** Start the VM once it is created (default true). */
  @IsOptional()
  @IsBoolean()
  start?: boolean;
}

export class AdminCreateVmDto extends CreateVmDto {
  /** Place the VM on this host instead of letting placement choose. */
  @IsOptional()
  @IsMongoId()
  hostId?: string;
}

export class UpdateVmDto implements UpdateVmRequest {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  vcpu?: number;

  @IsOptional()
  @IsInt()
  @Min(512)
  @Max(1_048_576)
  @IsDivisibleBy(2, { message: 'memoryMiB must be a multiple of 2' })
  memoryMiB?: number;

  /** Disks only grow. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65_536)
  diskGiB?: number;

  /** Processor and memory changes need the VM off: with restart the VM is stopped, changed and started again; without, a running VM answers 409 VM_MUST_BE_OFF. */
  @IsOptional()
  @IsBoolean()
  restart?: boolean;
}

export class CloneVmDto implements CloneVmRequest {
  @IsString()
  @Matches(VM_NAME, { message: VM_NAME_MESSAGE })
  name: string;

  /** Start the copy once made (default false). */
  @IsOptional()
  @IsBoolean()
  start?: boolean;
}

export class PowerVmDto implements PowerVmRequest {
  @IsIn(VM_POWER_ACTIONS)
  action: VmPowerAction;
}

export class VmListQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsIn(VM_STATES)
  state?: VmState;
}

export class AdminVmListQueryDto extends VmListQueryDto {
  @IsOptional()
  @IsMongoId()
  tenantId?: string;

  @IsOptional()
  @IsMongoId()
  hostId?: string;
}

export class AdoptVmDto implements AdoptVmRequest {
  @IsMongoId()
  tenantId: string;

  /** Adopt even when the VM does not fit in the tenant's quota. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class VmDto implements Vm {
  id: string;
  name: string;
  state: VmState;
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  imageId: string | null;
  imageName: string | null;
  hostName: string | null;
  ipAddresses: string[];
  createdAt: string;
  lastTaskId: string | null;
}

export class AdminVmDto extends VmDto implements AdminVm {
  tenantId: string;
  hostId: string | null;
  hypervisorId: string | null;
}

export class VmPageDto {
  items: VmDto[];
  total: number;
}

export class AdminVmPageDto implements AdminVmPage {
  items: AdminVmDto[];
  total: number;
}

export class VmTaskDto implements VmTask {
  vm: VmDto;
  task: TaskDto;
}

export class UnmanagedVmDto implements UnmanagedVm {
  /** Hyper-V's VM id. */
  id: string;
  hostId: string;
  hostName: string;
  name: string;
  state: string;
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  ipAddresses: string[];
}

export class UnmanagedVmPageDto implements UnmanagedVmPage {
  items: UnmanagedVmDto[];
  total: number;
}
