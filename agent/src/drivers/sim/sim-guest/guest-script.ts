/** Timers as the guest uses them; injectable so a test can run scripts without waiting. */
export interface GuestTimers {
  setTimeout(task: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const NODE_TIMERS: GuestTimers = {
  setTimeout: (task, ms) => setTimeout(task, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ScriptStep {
  /** Waited before `run`; 0 runs it at once, without a timer. */
  readonly delayMs: number;
  readonly run: () => void;
}

/**
 * Plays one timed sequence at a time (a boot, a shutdown, the pause after a failed login). It can be
 * suspended while the VM is paused or saved and resumed where it stopped, or cut short by a power-off.
 * Steps without a delay run synchronously, so with the sim's action delay at 0 nothing waits on a timer.
 */
export class GuestScript {
  private steps: readonly ScriptStep[] = [];
  private next = 0;
  private done: (() => void) | null = null;
  private timer: unknown = null;
  private suspended = false;
  /** Bumped by every play and cancel, so a step that starts another script stops this one's loop. */
  private generation = 0;

  constructor(private readonly timers: GuestTimers) {}

  get playing(): boolean {
    return this.done !== null;
  }

  /** Plays `steps`, then `done`; whatever played before is dropped. */
  play(steps: readonly ScriptStep[], done: () => void): void {
    this.cancel();
    this.steps = steps;
    this.next = 0;
    this.done = done;
    this.advance();
  }

  cancel(): void {
    this.generation++;
    this.clearTimer();
    this.steps = [];
    this.done = null;
  }

  suspend(): void {
    this.suspended = true;
    this.clearTimer();
  }

  /** Continues with the step it was waiting for, which waits its whole delay again. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.advance();
  }

  /** Runs what is left at once: the guest got there, however long it really would have taken. */
  finishNow(): void {
    if (!this.playing) return;
    this.clearTimer();
    const generation = this.generation;
    while (this.next < this.steps.length) {
      this.steps[this.next++].run();
      if (generation !== this.generation) return;
    }
    this.finish();
  }

  private advance(): void {
    if (this.suspended || !this.playing) return;
    const generation = this.generation;
    while (this.next < this.steps.length) {
      const step = this.steps[this.next];
      if (step.delayMs > 0) {
        this.timer = this.timers.setTimeout(() => {
          this.timer = null;
          if (generation !== this.generation) return;
          this.next++;
          step.run();
          if (generation === this.generation) this.advance();
        }, step.delayMs);
        return;
      }
      this.next++;
      step.run();
      if (generation !== this.generation || this.suspended) return;
    }
    this.finish();
  }

  private finish(): void {
    const done = this.done;
    this.steps = [];
    this.done = null;
    this.generation++;
    done?.();
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
