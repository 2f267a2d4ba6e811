/** A failure retrying cannot fix (refused enrollment, revoked credential, protocol mismatch): the agent exits. */
export class AgentFatalError extends Error {
  override name = 'AgentFatalError';
}
