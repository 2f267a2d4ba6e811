import type { EnrollResponse, HostFacts } from '../../../src/contracts/agent-protocol';
import { AgentFatalError } from '../agent-fatal-error';

/** Exchanges a one-time enrollment token for the host's credential. */
export async function enroll(serverUrl: string, token: string, facts: HostFacts): Promise<EnrollResponse> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/v1/agent/enroll', serverUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, facts }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Error(`Cannot reach ${serverUrl} to enroll: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<EnrollResponse> & { message?: string };
  if (response.status === 401 || response.status === 400) {
    throw new AgentFatalError(`Enrollment refused: ${body.message ?? response.statusText}. Ask an administrator for a new enrollment token.`);
  }
  if (!response.ok || !body.hostId || !body.credential) {
    throw new Error(`Enrollment failed with HTTP ${response.status}: ${body.message ?? response.statusText}`);
  }
  return { hostId: body.hostId, credential: body.credential };
}
