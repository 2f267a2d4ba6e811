import { PlatformEvent, PlatformEventType } from '../contracts/events';

/** The JSON in each SSE message's `data:` line. */
export class PlatformEventDto implements PlatformEvent {
  /** Unique per event; also the message's `id:`. */
  id: string;
  /** Also the message's `event:`. */
  type: PlatformEventType;
  /** The tenant the event concerns; null for admin-only events. */
  tenantId: string | null;
  /** The changed resource or what changed in it, depending on `type`. */
  data: unknown;
  /** ISO 8601 */
  at: string;
}
