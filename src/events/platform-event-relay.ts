import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { HOST_CHANGED, HostChangedEvent } from '../hosts/host-events';
import { QUOTA_CHANGED, QuotaChangedEvent } from '../quotas/quota-events';
import { EventsService } from './events.service';

/**
 * Turns other modules' in-process change notices into live events for browsers. The events carry ids
 * only: the admin and tenant views re-read the host or the quota, so no stale copy travels.
 */
@Injectable()
export class PlatformEventRelay {
  constructor(private readonly events: EventsService) {}

  @OnEvent(HOST_CHANGED)
  async onHostChanged({ hostId }: HostChangedEvent): Promise<void> {
    await this.events.publish({ type: 'host.updated', tenantId: null, data: { id: hostId } });
  }

  @OnEvent(QUOTA_CHANGED)
  async onQuotaChanged({ tenantId }: QuotaChangedEvent): Promise<void> {
    await this.events.publish({ type: 'quota.updated', tenantId, data: { tenantId } });
  }
}
