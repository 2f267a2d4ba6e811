/**
 * An error whose message already tells the user what to do (which variable to set, what to
 * install). Launchers print only the message, without a stack trace.
 */
export class ActionableError extends Error {
  override name = 'ActionableError';
}
