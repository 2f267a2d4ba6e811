import type { HostFacts, Inventory } from './agent-protocol';
import type { Page } from './tenants';

/** Derived at read time: `pending` until the agent enrolls, then online/offline by heartbeat; maintenance wins. */
export const HOST_STATUSES = ['pending', 'online', 'offline', 'maintenance'] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

export interface CreateHostRequest {
  /** The host's name as operators know it (usually its computer name). */
  name: string;
}

export interface UpdateHostRequest {
  /** A host in maintenance keeps its VMs but receives no new ones. */
  maintenance?: boolean;
  name?: string;
}

/** A one-time enrollment token and the agent command line that uses it. */
export interface Enrollment {
  /** Shown only once, in the answer that issues it. */
  token: string;
  /** ISO 8601 */
  expiresAt: string;
  /** The agent command line to paste on the host. */
  command: string;
}

export interface StorageCapacity {
  name: string;
  totalGiB: number;
  freeGiB: number;
}

export interface HostCapacity {
  cpuCores: number;
  memoryMiB: number;
  freeMemoryMiB: number;
  storage: StorageCapacity[];
}

export interface Host {
  id: string;
  name: string;
  status: HostStatus;
  maintenance: boolean;
  /** ISO 8601 */
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  driver: string | null;
  /** What the agent last reported about the host; null before it enrolls. */
  facts: HostFacts | null;
  capacity: HostCapacity | null;
  /** VMs in the host's last inventory, managed or not. */
  vmCount: number;
  /** ISO 8601 */
  createdAt: string;
}

/** The answer to registering a host: the host and its first enrollment. */
export interface CreatedHost extends Host {
  enrollment: Enrollment;
}

export type HostPage = Page<Host>;

/** The last inventory a host's agent reported. */
export interface HostInventory extends Inventory {
  /** ISO 8601 */
  reportedAt: string;
}
