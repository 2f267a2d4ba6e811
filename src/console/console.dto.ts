import { ConsoleTicket } from '../contracts/console';

export class ConsoleTicketDto implements ConsoleTicket {
  /** Single-use; valid until expiresAt. */
  ticket: string;
  /** Relative WebSocket URL: `/ws/console?ticket=…`. */
  url: string;
  /** ISO 8601. */
  expiresAt: string;
}
