/**
 * The browser side of the serial console (`/ws/console?ticket=…`): binary frames carry raw serial
 * bytes both ways; text frames carry these JSON control messages from the server.
 */
export const CONSOLE_WS_PATH = '/ws/console';

export const CONSOLE_CLOSE_REASONS = [
  /** Another session of the VM's console took the keyboard. */
  'taken-over',
  'idle',
  'vm-deleted',
  'vm-not-found',
  'agent-disconnected',
  'host-offline',
  'server-shutdown',
  'error',
] as const;
export type ConsoleCloseReason = (typeof CONSOLE_CLOSE_REASONS)[number];

/** WebSocket close codes the server uses, so clients can tell the reasons apart without parsing text. */
export const CONSOLE_CLOSE_CODES: Readonly<Record<ConsoleCloseReason, number>> = {
  'taken-over': 4000,
  idle: 4001,
  'vm-deleted': 4002,
  'vm-not-found': 4003,
  'agent-disconnected': 4004,
  'host-offline': 4005,
  'server-shutdown': 1001,
  error: 1011,
};

export type ConsoleServerMessage =
  /** `connecting` until the host's agent has attached to the serial port, then `open`. */
  | { type: 'status'; state: 'connecting' | 'open'; readOnly: boolean; vm: { id: string; name: string } }
  | { type: 'closed'; reason: ConsoleCloseReason; message: string };

export interface ConsoleTicket {
  ticket: string;
  /** Relative: `/ws/console?ticket=…`. */
  url: string;
  expiresAt: string;
}
