import { CONSOLE_CHANNEL_PATTERN } from './agent-protocol';

// Node-only (Buffer), apart from agent-protocol.ts, which the browser client also reads.

const MAX_CHANNEL_LENGTH = 64;

/** A binary frame of a console channel: one byte of channel-id length, the channel id (ASCII), then the bytes. */
export function encodeConsoleFrame(channelId: string, payload: Uint8Array): Buffer {
  const header = Buffer.from(channelId, 'latin1');
  return Buffer.concat([Buffer.from([header.length]), header, payload]);
}

/** The channel and bytes of a binary frame, or null when the frame is not one. */
export function decodeConsoleFrame(frame: Buffer): { channel: string; payload: Buffer } | null {
  const length = frame.length > 0 ? frame[0] : 0;
  if (length === 0 || length > MAX_CHANNEL_LENGTH || frame.length < 1 + length) return null;
  const channelId = frame.subarray(1, 1 + length).toString('latin1');
  if (!CONSOLE_CHANNEL_PATTERN.test(channelId)) return null;
  return { channel: channelId, payload: frame.subarray(1 + length) };
}
