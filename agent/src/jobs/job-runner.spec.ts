import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentMessage, HostFacts, Inventory } from '../../../src/contracts/agent-protocol';
import { ActionContext, DriverError, HostDriver, SerialStream } from '../drivers/host-driver';
import { JobResultStore } from './job-result-store';
import { JobRunner } from './job-runner';

/** A driver whose actions finish when the test says so, to observe concurrency and timeouts. */
class ControlledDriver implements HostDriver {
  readonly kind = 'sim' as const;
  readonly started: string[] = [];
  private readonly finishers = new Map<string, (output: unknown) => void>();
  failWith?: Error;

  async start() {}
  async stop() {}
  async facts(): Promise<HostFacts> {
    throw new Error('not used');
  }
  async inventory(): Promise<Inventory> {
    throw new Error('not used');
  }
  async openSerial(): Promise<SerialStream> {
    throw new Error('not used');
  }
  run(_action: string, _params: unknown, context: ActionContext): Promise<unknown> {
    this.started.push(context.jobId);
    context.progress(50, 'half way');
    if (this.failWith) return Promise.reject(this.failWith);
    return new Promise((resolve) => this.finishers.set(context.jobId, resolve));
  }
  finish(jobId: string, output: unknown = { done: jobId }) {
    this.finishers.get(jobId)?.(output);
  }
}

const power = (jobId: string, timeoutMs = 5_000) => ({
  type: 'job.run' as const,
  jobId,
  action: 'vm.power',
  params: { vmId: 'vm-1', name: 'web', action: 'start' },
  timeoutMs,
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(JobRunner.name, () => {
  let driver: ControlledDriver;
  let sent: AgentMessage[];
  let storeFile: string;
  const runner = (concurrency = 2) => new JobRunner(driver, new JobResultStore(storeFile), concurrency, (m) => sent.push(m));
  const results = () => sent.filter((m) => m.type === 'job.result');

  beforeEach(() => {
    driver = new ControlledDriver();
    sent = [];
    storeFile = join(mkdtempSync(join(tmpdir(), 'jobs-')), 'job-results.json');
  });

  it('runs at most `concurrency` jobs at once and starts the next when one finishes', async () => {
    const subject = runner(2);
    for (const id of ['a', 'b', 'c']) subject.handle(power(id));
    await tick();
    expect(driver.started).toEqual(['a', 'b']);
    driver.finish('a');
    await tick();
    await tick();
    expect(driver.started).toEqual(['a', 'b', 'c']);
  });

  it('relays progress and answers with the output', async () => {
    const subject = runner();
    subject.handle(power('a'));
    await tick();
    driver.finish('a', { vm: 'x' });
    await tick();
    expect(sent).toEqual([
      { type: 'job.progress', jobId: 'a', percent: 50, message: 'half way' },
      { type: 'job.result', jobId: 'a', ok: true, output: { vm: 'x' } },
    ]);
  });

  it('runs a job id once: a repeat while running joins it, a repeat later gets the remembered result, even after a restart', async () => {
    const first = runner();
    first.handle(power('a'));
    first.handle(power('a'));
    await tick();
    driver.finish('a', { n: 1 });
    await tick();
    expect(driver.started).toEqual(['a']);
    expect(results()).toHaveLength(1);

    const restarted = runner();
    restarted.handle(power('a'));
    expect(driver.started).toEqual(['a']);
    expect(results()).toEqual([expect.objectContaining({ jobId: 'a', ok: true, output: { n: 1 } }), expect.objectContaining({ jobId: 'a', ok: true, output: { n: 1 } })]);
  });

  it('answers TIMEOUT (retryable) when the action outlives its timeout', async () => {
    runner().handle(power('slow', 30));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(results()).toEqual([{ type: 'job.result', jobId: 'slow', ok: false, error: { code: 'TIMEOUT', message: expect.stringContaining('30 ms'), retryable: true } }]);
  });

  it('reports driver errors with their code, and remembers only final ones', async () => {
    driver.failWith = new DriverError('HYPERVISOR_ERROR', 'WMI busy', true);
    const subject = runner();
    subject.handle(power('transient'));
    await tick();
    driver.failWith = new DriverError('NOT_FOUND', 'no such VM');
    subject.handle(power('transient'));
    subject.handle(power('final'));
    await tick();
    subject.handle(power('final'));
    expect(driver.started).toEqual(['transient', 'transient', 'final']);
    expect(results().map((m) => (m.type === 'job.result' && !m.ok ? [m.jobId, m.error.code] : null))).toEqual([
      ['transient', 'HYPERVISOR_ERROR'],
      ['transient', 'NOT_FOUND'],
      ['final', 'NOT_FOUND'],
      ['final', 'NOT_FOUND'],
    ]);
  });

  it('refuses unknown actions and invalid params without calling the driver, and hides unexpected errors as INTERNAL', async () => {
    driver.failWith = new TypeError('boom');
    const subject = runner();
    subject.handle({ ...power('u'), action: 'vm.explode' });
    subject.handle({ ...power('p'), params: { vmId: 'x' } });
    subject.handle(power('i'));
    await tick();
    await tick();
    expect(driver.started).toEqual(['i']);
    const codes = Object.fromEntries(results().map((m) => [m.jobId, m.type === 'job.result' && !m.ok ? m.error.code : 'ok']));
    expect(codes).toEqual({ u: 'UNKNOWN_ACTION', p: 'INVALID_PARAMS', i: 'INTERNAL' });
  });
});
