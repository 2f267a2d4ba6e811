import { Transform } from 'class-transformer';
import { IsDate, IsMongoId, IsOptional, IsString, Matches } from 'class-validator';
import { toDate } from '../common/http/iso-date';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import type { AuditActor, AuditEvent, AuditEventPage, AuditTarget } from '../contracts/audit';
import { Scope } from '../contracts/auth';

export class AuditListQueryDto extends PaginationQueryDto {
  /** One kind of event, e.g. `console.session`. */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9.-]{0,63}$/, { message: 'action must look like console.session' })
  action?: string;

  @IsOptional()
  @IsMongoId()
  tenantId?: string;

  /** Events about one object (a VM id, for example). */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'targetId must be an id' })
  targetId?: string;

  /** ISO 8601; events at or after. */
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  /** ISO 8601; events before. */
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;
}

export class AuditActorDto implements AuditActor {
  scope: Scope;
  id: string;
  email: string;
}

export class AuditTargetDto implements AuditTarget {
  type: string;
  id: string;
  name: string;
}

export class AuditEventDto implements AuditEvent {
  id: string;
  /** ISO 8601. */
  at: string;
  action: string;
  actor: AuditActorDto;
  tenantId: string | null;
  target: AuditTargetDto;
  ip: string | null;
  details: Record<string, unknown>;
}

export class AuditEventPageDto implements AuditEventPage {
  items: AuditEventDto[];
  total: number;
}
