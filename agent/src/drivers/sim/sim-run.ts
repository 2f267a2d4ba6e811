import { AgentAction } from '../../../../src/contracts/agent-protocol';
import { ActionContext, DriverError } from '../host-driver';
import { simDelay } from './sim-delay';

export interface SimRunOptions {
  action: AgentAction;
  context: ActionContext;
  actionDelayMs: number;
  /** An injected crash is armed for this run. */
  crash: boolean;
  clearCrash: () => void;
  onCrash: () => void;
}

/** One action in progress: paces its steps, reports progress and fires an injected crash at the right moment. */
export class SimRun {
  private reported = false;

  constructor(private readonly options: SimRunOptions) {}

  /**
   * Reports `percent`, then takes `steps` action delays. The first report is where an armed crash fires:
   * the job is visibly under way but nothing is saved yet, which is the window a real host agent can die in.
   */
  async step(percent: number, message: string, steps = 1): Promise<void> {
    await this.report(percent, message);
    await simDelay(steps * this.options.actionDelayMs, this.options.context.signal);
  }

  /**
   * Reports a step that takes no simulated time and ignores the abort signal: putting a VM back the way it
   * was after a failure must not be cut short by the very timeout that may have caused the failure.
   */
  async recoveryStep(percent: number, message: string): Promise<void> {
    await this.report(percent, message);
  }

  /** The last report of a run. It ignores the abort signal: once a change is saved, the job succeeded. */
  async done(message = 'Done'): Promise<void> {
    await this.report(100, message);
  }

  private async report(percent: number, message: string): Promise<void> {
    this.options.context.progress(percent, message);
    if (this.reported) return;
    this.reported = true;
    if (this.options.crash) this.crash();
  }

  private crash(): never {
    // Cleared before dying, so the re-run of this job by the restarted agent completes.
    this.options.clearCrash();
    this.options.onCrash();
    // Only reached when onCrash returns (tests): behave as if the process had died, changing nothing.
    throw new DriverError('INTERNAL', `simulated agent crash during ${this.options.action}`);
  }
}
