import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { ApiPropertyFromZod } from '../common/http/zod-openapi';
import { HostFacts, HostFactsSchema, ImageFileSchema, Inventory, InventoryVmSchema, VirtualSwitchSchema } from '../contracts/agent-protocol';
import type { CreatedHost, CreateHostRequest, Enrollment, Host, HostCapacity, HostInventory, HostPage, HostStatus, StorageCapacity, UpdateHostRequest } from '../contracts/hosts';

export { HOST_STATUSES } from '../contracts/hosts';
export type { HostStatus } from '../contracts/hosts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const HOST_NAME_MESSAGE = 'name must be 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit';

export class CreateHostDto implements CreateHostRequest {
  /** The host's name as operators know it (usually its computer name). */
  @Transform(trim)
  @IsString()
  @Matches(HOST_NAME, { message: HOST_NAME_MESSAGE })
  name: string;
}

export class UpdateHostDto implements UpdateHostRequest {
  /** A host in maintenance keeps its VMs but receives no new ones. */
  @IsOptional()
  @IsBoolean()
  maintenance?: boolean;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(HOST_NAME, { message: HOST_NAME_MESSAGE })
  name?: string;
}

export class DeleteHostQueryDto {
  /** Delete even while the host still carries managed VMs. */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  force?: boolean;
}

export class EnrollmentDto implements Enrollment {
  /** One-time token; shown only here. */
  token: string;
  expiresAt: string;
  /** The agent command line to paste on the host. */
  command: string;
}

export class StorageCapacityDto implements StorageCapacity {
  name: string;
  totalGiB: number;
  freeGiB: number;
}

export class HostCapacityDto implements HostCapacity {
  cpuCores: number;
  memoryMiB: number;
  freeMemoryMiB: number;
  storage: StorageCapacityDto[];
}

export class HostDto implements Host {
  id: string;
  name: string;
  status: HostStatus;
  maintenance: boolean;
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  driver: string | null;
  /** What the agent last reported about the host. */
  @ApiPropertyFromZod(HostFactsSchema, { nullable: true })
  facts: HostFacts | null;
  capacity: HostCapacityDto | null;
  vmCount: number;
  createdAt: string;
}

export class CreatedHostDto extends HostDto implements CreatedHost {
  enrollment: EnrollmentDto;
}

export class HostPageDto implements HostPage {
  items: HostDto[];
  total: number;
}

export class HostInventoryDto implements HostInventory {
  reportedAt: string;
  @ApiPropertyFromZod(InventoryVmSchema, { isArray: true })
  vms: Inventory['vms'];
  @ApiPropertyFromZod(VirtualSwitchSchema, { isArray: true })
  switches: Inventory['switches'];
  @ApiPropertyFromZod(ImageFileSchema, { isArray: true })
  images: Inventory['images'];
}
