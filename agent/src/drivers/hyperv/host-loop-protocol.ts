import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The line protocol between the agent and agent/scripts/host-loop.ps1 (and its Node stand-in in tests).
 *
 * - Agent → loop, one line per request: `{"id":"r1","script":"vm-power","params":{...}}\n`.
 *   `params` is data only: the loop binds it to the script's -Params, it is never parsed as PowerShell.
 * - Loop → agent, one line per answer, starting with the session's frame marker:
 *   `<marker>{"id":"r1","ok":true,"result":...}` or `<marker>{"id":"r1","ok":false,"error":{...}}`,
 *   and once at start `<marker>{"ready":true,"psVersion":"5.1..."}` (or `"ready":false` with an error).
 * - Any other stdout line is host output (warnings, Write-Host): logged, never an answer. The marker is
 *   random per session because such output can repeat tenant-chosen names, which must not forge answers.
 */

/** Environment variable that hands the session's frame marker to the loop. */
export const FRAME_MARKER_ENV = 'OPENHVX_FRAME_MARKER';

/** Script names the loop accepts; host-loop.ps1 checks the same pattern before it looks for the file. */
export const SCRIPT_NAME_PATTERN = /^[a-z0-9-]+$/;

/** A line longer than this is not an answer the agent can use (an inventory of 10,000 VMs is ~10 MB). */
export const MAX_FRAME_CHARS = 64 * 1024 * 1024;

export function newFrameMarker(): string {
  return `OPENHVX-${randomBytes(16).toString('hex')}-`;
}

export interface HostLoopRequest {
  id: string;
  script: string;
  params: Record<string, unknown>;
}

/** One request line; JSON.stringify escapes every line break inside strings, so it stays one line. */
export function encodeRequest(request: HostLoopRequest): string {
  return `${JSON.stringify({ id: request.id, script: request.script, params: request.params })}\n`;
}

export const ScriptErrorInfoSchema = z.object({
  message: z.string(),
  category: z.string(),
  fullyQualifiedErrorId: z.string(),
  exceptionType: z.string().optional(),
});
export type ScriptErrorInfo = z.infer<typeof ScriptErrorInfoSchema>;

export const HostLoopFrameSchema = z.union([
  z.object({ ready: z.literal(true), psVersion: z.string(), pid: z.number().optional() }),
  z.object({ ready: z.literal(false), error: ScriptErrorInfoSchema }),
  z.object({ id: z.string(), ok: z.literal(true), result: z.unknown() }),
  // id is null when the loop could not read the request's id (a request that was not JSON).
  z.object({ id: z.string().nullable(), ok: z.literal(false), error: ScriptErrorInfoSchema }),
]);
export type HostLoopFrame = z.infer<typeof HostLoopFrameSchema>;

export type DecodedLine =
  | { kind: 'frame'; frame: HostLoopFrame }
  | { kind: 'noise'; line: string }
  | { kind: 'malformed'; line: string; reason: string };

/** Splits the loop's stdout into lines and sorts them into answers, host output and broken answers. */
export class HostLoopDecoder {
  private buffer = '';
  private scanFrom = 0;
  private discarding = false;

  constructor(
    private readonly marker: string,
    private readonly maxLineChars = MAX_FRAME_CHARS,
  ) {}

  push(chunk: string): DecodedLine[] {
    this.buffer += chunk;
    const decoded: DecodedLine[] = [];
    let newline = this.buffer.indexOf('\n', this.scanFrom);
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (this.discarding) this.discarding = false;
      else decoded.push(this.decode(line));
      newline = this.buffer.indexOf('\n');
    }
    this.scanFrom = this.buffer.length;
    if (this.buffer.length > this.maxLineChars) {
      if (!this.discarding) decoded.push({ kind: 'malformed', line: this.buffer.slice(0, 200), reason: `a line longer than ${this.maxLineChars} characters` });
      this.discarding = true;
      this.buffer = '';
      this.scanFrom = 0;
    }
    return decoded;
  }

  /** What is left when the stream ends: a last line without its newline. */
  end(): DecodedLine[] {
    const rest = this.buffer.replace(/\r$/, '');
    this.buffer = '';
    this.scanFrom = 0;
    if (this.discarding || rest.length === 0) return [];
    return [this.decode(rest)];
  }

  private decode(line: string): DecodedLine {
    if (!line.startsWith(this.marker)) return { kind: 'noise', line };
    const body = line.slice(this.marker.length);
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return { kind: 'malformed', line: body.slice(0, 200), reason: 'the answer is not JSON' };
    }
    const parsed = HostLoopFrameSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'malformed', line: body.slice(0, 200), reason: `the answer is not a frame (${issue.path.join('.') || '(root)'}: ${issue.message})` };
    }
    return { kind: 'frame', frame: parsed.data };
  }
}
