export const HOST_REMOVED = 'host.removed';

export interface HostRemovedEvent {
  hostId: string;
}
