import type { Inventory } from '../contracts/agent-protocol';

/** The host's agent credential stopped being valid (host removed or enrolled again): its connection must close. */
export const HOST_CREDENTIAL_REVOKED = 'host.credential-revoked';

export interface HostCredentialRevokedEvent {
  hostId: string;
}

/** An agent reported a full inventory; owners of VM records reconcile with it. */
export const HOST_INVENTORY_RECORDED = 'host.inventory-recorded';

export interface HostInventoryRecordedEvent {
  hostId: string;
  inventory: Inventory;
  /** When the server received it: anything a task set after this is newer than the report. */
  receivedAt: Date;
}

/** Asked before a host is removed: each listener answers how many of the VMs it manages live on the host. */
export const HOST_MANAGED_VMS_COUNT = 'host.managed-vms-count';

export interface HostManagedVmsCountQuery {
  hostId: string;
}

/** A host's connection, maintenance mode or name changed (status changes browsers should see at once). */
export const HOST_CHANGED = 'host.changed';

export interface HostChangedEvent {
  hostId: string;
}
