import type { Scope } from './auth';
import type { ConsoleCloseReason } from './console';
import type { Page } from './tenants';

export interface AuditActor {
  scope: Scope;
  id: string;
  email: string;
}

export interface AuditTarget {
  type: string;
  id: string;
  name: string;
}

/** One entry of the audit trail: who did what to which object, from where, when. */
export interface AuditEvent {
  id: string;
  /** ISO 8601 */
  at: string;
  /** e.g. `console.session`. */
  action: string;
  actor: AuditActor;
  tenantId: string | null;
  target: AuditTarget;
  ip: string | null;
  /** Depends on the action; see ConsoleSessionAuditDetails for `console.session`. */
  details: Record<string, unknown>;
}

export type AuditEventPage = Page<AuditEvent>;

/** The details of a `console.session` entry, written when the session ends. */
export interface ConsoleSessionAuditDetails {
  readOnly: boolean;
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601 */
  endedAt: string;
  durationMs: number;
  bytesFromBrowser: number;
  bytesToBrowser: number;
  /** Why it ended: the server's close reason, or the browser closed it. */
  endReason: ConsoleCloseReason | 'client-closed';
}
