import { applyDecorators, Controller, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { PLATFORM_EVENT_TYPES } from '../contracts/events';
import { PlatformEventDto } from './event.dto';
import { EventsService } from './events.service';

/**
 * A client that stops reading is dropped once this much event data waits for it, instead of the
 * server buffering without bound; it reconnects and re-reads state.
 */
const MAX_PENDING_EVENT_CHARACTERS = 1024 * 1024;

const EVENT_STREAM_EXAMPLE = 'event: vm.updated\nid: 5f0c…\ndata: {"id":"5f0c…","type":"vm.updated","tenantId":"…","data":{…},"at":"…"}\n\n: heartbeat\n\n';

function EventStreamRoute(audience: string) {
  return applyDecorators(
    Sse('', { maxPendingDataLength: MAX_PENDING_EVENT_CHARACTERS }),
    ApiProduces('text/event-stream'),
    ApiExtraModels(PlatformEventDto),
    ApiOkResponse({
      description:
        `Server-Sent Events for ${audience}. Each message has \`id:\`, \`event:\` (one of ${PLATFORM_EVENT_TYPES.join(', ')}) and a ` +
        `\`data:\` line holding a PlatformEventDto as JSON; a \`: heartbeat\` comment comes every 15 s. ` +
        'Authenticate with the Authorization header (use a fetch-based SSE client in browsers). The stream ends after an access token ' +
        'lifetime, and when the client cannot keep up: reconnect and re-read what you show.',
      content: { 'text/event-stream': { schema: { type: 'string', example: EVENT_STREAM_EXAMPLE } } },
    }),
  );
}

@ApiTags('events')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** Live events about the caller's tenant (its VMs, tasks and quota). */
  @EventStreamRoute("the caller's tenant")
  stream(@CurrentPrincipal() principal: TenantPrincipal): Observable<MessageEvent> {
    return this.events.tenantStream(principal.tenant.id);
  }
}

@ApiTags('admin: events')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/events')
export class AdminEventsController {
  constructor(private readonly events: EventsService) {}

  /** Live events of every tenant, plus the admin-only ones (hosts). */
  @EventStreamRoute('every tenant and the platform')
  stream(): Observable<MessageEvent> {
    return this.events.adminStream();
  }
}
