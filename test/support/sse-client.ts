import { PlatformEvent } from '../../src/contracts/events';
import { bearer } from './actors';

/** One message of a text/event-stream, as a browser's EventSource would assemble it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** An SSE client over Node's fetch: parses the stream line by line into messages as they arrive. */
export interface SseClient {
  response: Response;
  messages: SseMessage[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(url: string, token?: string): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: token ? bearer(token) : {}, signal: controller.signal });
  const messages: SseMessage[] = [];
  const ended = response.ok && response.body ? readMessages(response.body, messages) : Promise.resolve();
  return { response, messages, ended: ended.catch(() => undefined), close: () => controller.abort() };
}

async function readMessages(body: ReadableStream<Uint8Array>, into: SseMessage[]): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  let message: SseMessage = {};
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (Object.keys(message).length > 0) into.push(message);
        message = {};
      } else if (line.startsWith(':')) {
        message.comment = line.slice(1).trim();
      } else {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        message[field as 'id' | 'event' | 'data'] = message[field as 'data'] === undefined ? value : `${message[field as 'data']}\n${value}`;
      }
    }
  }
}

export const eventsOf = (client: SseClient): PlatformEvent[] => client.messages.filter((m) => m.data !== undefined).map((m) => JSON.parse(m.data!) as PlatformEvent);
