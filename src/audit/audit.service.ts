import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { Principal } from '../common/auth/principal';
import { literalPattern } from '../common/http/pagination.dto';
import { AuditEventDto, AuditEventPageDto, AuditListQueryDto } from './audit.dto';
import { AuditEventDocument, AuditEventRecord } from './audit.schemas';

export interface AuditEntry {
  action: string;
  actor: Principal;
  tenantId: string | null;
  target: { type: string; id: string; name: string };
  ip: string | null;
  details?: Record<string, unknown>;
  at?: Date;
}

/** The audit trail: who did what to which object, from where, when. */
@Injectable()
export class AuditService {
  constructor(@InjectModel(AuditEventRecord.name) private readonly events: Model<AuditEventRecord>) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.events.create({
      at: entry.at ?? new Date(),
      action: entry.action,
      actor: { scope: entry.actor.scope, id: entry.actor.id, email: entry.actor.email },
      tenantId: entry.tenantId ? new Types.ObjectId(entry.tenantId) : null,
      target: entry.target,
      ip: entry.ip,
      details: entry.details ?? {},
    });
  }

  /** Newest first. */
  async list(query: AuditListQueryDto): Promise<AuditEventPageDto> {
    const filter: FilterQuery<AuditEventRecord> = {};
    if (query.action) filter.action = query.action;
    if (query.tenantId) filter.tenantId = new Types.ObjectId(query.tenantId);
    if (query.targetId) filter['target.id'] = query.targetId;
    if (query.from || query.to) filter.at = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
    if (query.q) filter['actor.email'] = literalPattern(query.q);
    const [items, total] = await Promise.all([
      this.events.find(filter).sort({ at: -1 }).skip(query.offset).limit(query.limit),
      this.events.countDocuments(filter),
    ]);
    return { items: items.map(toDto), total };
  }
}

function toDto(event: AuditEventDocument): AuditEventDto {
  return {
    id: event.id as string,
    at: event.at.toISOString(),
    action: event.action,
    actor: { scope: event.actor.scope, id: event.actor.id, email: event.actor.email },
    tenantId: event.tenantId?.toHexString() ?? null,
    target: { type: event.target.type, id: event.target.id, name: event.target.name },
    ip: event.ip,
    details: event.details,
  };
}
