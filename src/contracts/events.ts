/** What changed; clients re-read the resource (or patch their copy from `data`). */
export const PLATFORM_EVENT_TYPES = [
  'task.created',
  'task.updated',
  'vm.created',
  'vm.updated',
  'vm.deleted',
  'quota.updated',
  'host.updated',
] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

/** A live event as it travels between replicas and reaches browsers (the `data:` of each SSE message). */
export interface PlatformEvent {
  /** Unique per event; also the SSE `id:` line. */
  id: string;
  type: PlatformEventType;
  /** The tenant that may see it; null for admin-only events. Admins see every event. */
  tenantId: string | null;
  data: unknown;
  /** ISO 8601, when it was published. */
  at: string;
}

/** What a module hands to `EventsService.publish`; the id and time are stamped there. */
export type NewPlatformEvent = Pick<PlatformEvent, 'type' | 'tenantId' | 'data'>;
