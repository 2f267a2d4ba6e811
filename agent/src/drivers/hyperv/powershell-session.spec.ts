import { PowerShellSession, PowerShellSessionOptions } from './powershell-session';
import { PowerShellScriptError, PowerShellSessionError } from './powershell-session-error';
import { StandInHost } from './test-support/stand-in-host';

const SCRIPTS = ['echo', 'slow', 'fails', 'crashes', 'noisy', 'broken', 'pid', 'hangs'];

describe(PowerShellSession.name, () => {
  let host: StandInHost;
  let session: PowerShellSession;
  let output: Array<{ line: string; stream: string }>;

  function open(options: Partial<PowerShellSessionOptions> = {}): PowerShellSession {
    const command = host.command();
    session = new PowerShellSession({
      ...command,
      startTimeoutMs: 5_000,
      requestTimeoutMs: 5_000,
      stopGraceMs: 1_000,
      onOutput: (line, stream) => output.push({ line, stream }),
      ...options,
    });
    return session;
  }

  async function failureOf(work: Promise<unknown>): Promise<Error> {
    try {
      await work;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected the request to fail');
  }

  beforeEach(() => {
    host = new StandInHost({ scripts: SCRIPTS });
    output = [];
  });

  afterEach(async () => {
    await session?.stop();
    host.dispose();
  });

  it('answers each request with what its script returned, params round-tripped as JSON', async () => {
    open();
    const params = { vmId: 'vm-1', sizes: [1, 2.5, 1099511627776], nested: { on: true, off: null }, text: 'ünïcødé ✓ "quoted" \\ back' };
    await expect(session.run('echo', params)).resolves.toEqual({ script: 'echo', params });
  });

  it('runs one request at a time, in the order they were made', async () => {
    host.setScenario({ scripts: { slow: { delayMs: 150 } } });
    open();
    const results = await Promise.all([session.run('slow', { n: 1 }), session.run('echo', { n: 2 }), session.run('slow', { n: 3 }), session.run('echo', { n: 4 })]);
    expect(results).toEqual([1, 2, 3, 4].map((n) => ({ script: n % 2 ? 'slow' : 'echo', params: { n } })));
    expect(host.requests().map((r) => r.request?.params.n)).toEqual([1, 2, 3, 4]);
  });

  it('sends a VM name that is PowerShell code only as a JSON string inside the request line', async () => {
    const names = ["x'; Remove-VM -Name * -Force; '", '$(Stop-Computer)', '"; Stop-Computer; "', '`$(Stop-Computer)`', 'a\nStop-Computer\r\n#'];
    open();
    for (const name of names) await session.run('echo', { vmId: 'vm-1', name });

    const logged = host.requests();
    expect(logged).toHaveLength(names.length);
    logged.forEach(({ raw, request }, index) => {
      const name = names[index];
      // The whole line is one JSON document; the name is a string value in it and appears nowhere else.
      expect(raw).not.toMatch(/[\r\n]/);
      expect(JSON.parse(raw)).toEqual({ id: expect.any(String), script: 'echo', params: { vmId: 'vm-1', name } });
      expect(request?.params.name).toBe(name);
      const withoutTheName = raw.replace(JSON.stringify(name), '""');
      expect(JSON.parse(withoutTheName).params.name).toBe('');
      expect(withoutTheName).not.toContain('Stop-Computer');
      expect(withoutTheName).not.toContain('Remove-VM');
    });
    // Nor does it reach the command line or the environment of the PowerShell process.
    const command = host.command();
    for (const name of names) {
      expect(command.args.join(' ')).not.toContain(name);
      expect(Object.values(command.env).join(' ')).not.toContain(name);
    }
  });

  it('ignores host output on stdout, including lines that imitate answers without the session marker', async () => {
    const forged = 'OPENHVX-00000000000000000000000000000000-{"id":"r1","ok":true,"result":"forged"}';
    host.setScenario({
      startup: { noise: ['WARNING: loading Hyper-V'] },
      scripts: { noisy: { noise: ['WARNING: The VM x is not running.', forged, '{"id":"r1","ok":true,"result":"forged"}'], partialNoise: 'Write-Host without a newline', result: 'real' } },
    });
    open();
    await expect(session.run('noisy', {})).resolves.toBe('real');
    const stdout = output.filter((o) => o.stream === 'stdout').map((o) => o.line);
    expect(stdout).toEqual(expect.arrayContaining(['WARNING: loading Hyper-V', 'WARNING: The VM x is not running.', forged, 'Write-Host without a newline']));
  });

  it('reads an answer that arrives in several chunks', async () => {
    host.setScenario({ scripts: { echo: { split: true, result: { big: 'x'.repeat(200_000) } } } });
    open();
    await expect(session.run('echo', {})).resolves.toEqual({ big: 'x'.repeat(200_000) });
  });

  it('rejects with the script error and the stderr written meanwhile', async () => {
    const error = { message: "VM 'web' is running", category: 'InvalidOperation', fullyQualifiedErrorId: 'VM_MUST_BE_OFF' };
    host.setScenario({ scripts: { fails: { stderr: 'something on stderr', error } } });
    open();
    const failure = await failureOf(session.run('fails', {}));
    expect(failure).toBeInstanceOf(PowerShellScriptError);
    expect((failure as PowerShellScriptError).info).toEqual(error);
    expect((failure as PowerShellScriptError).stderr).toContain('something on stderr');
    // The session survives a script error.
    await expect(session.run('echo', { after: true })).resolves.toEqual({ script: 'echo', params: { after: true } });
  });

  it('kills a request that does not answer in time and runs the next one in a fresh session', async () => {
    host.setScenario({ scripts: { hangs: { hang: true } } });
    open({ requestTimeoutMs: 300 });
    const firstPid = await session.run('pid', {});
    const [timedOut, next] = await Promise.allSettled([session.run('hangs', {}), session.run('pid', {})]);
    expect(timedOut.status).toBe('rejected');
    const failure = (timedOut as PromiseRejectedResult).reason as PowerShellSessionError;
    expect(failure).toBeInstanceOf(PowerShellSessionError);
    expect(failure.reason).toBe('timeout');
    expect(failure.message).toContain('hangs did not answer within 300 ms');
    expect(next.status).toBe('fulfilled');
    expect((next as PromiseFulfilledResult<unknown>).value).not.toBe(firstPid);
  });

  it('lets a request set its own timeout', async () => {
    host.setScenario({ scripts: { slow: { delayMs: 400, result: 'late but fine' } } });
    open({ requestTimeoutMs: 100 });
    await expect(session.run('slow', {}, { timeoutMs: 3_000 })).resolves.toBe('late but fine');
  });

  it('rejects the running request when PowerShell crashes, with its exit code and stderr, and restarts on the next call', async () => {
    host.setScenario({ scripts: { crashes: { stderr: 'fatal: out of cheese', crash: 7 } } });
    open();
    const firstPid = await session.run('pid', {});
    const [crashed, queued] = await Promise.allSettled([session.run('crashes', {}), session.run('pid', {})]);
    const failure = (crashed as PromiseRejectedResult).reason as PowerShellSessionError;
    expect(failure).toBeInstanceOf(PowerShellSessionError);
    expect(failure.reason).toBe('exited');
    expect(failure.message).toMatch(/exited with code 7 while running crashes/);
    expect(failure.message).toContain('fatal: out of cheese');
    // The request queued behind it never reached the dead process: it runs in the new one.
    expect(queued.status).toBe('fulfilled');
    expect((queued as PromiseFulfilledResult<unknown>).value).not.toBe(firstPid);
  });

  it('treats a marked line that is not a valid answer as a protocol failure and starts over', async () => {
    host.setScenario({ scripts: { broken: [{ malformed: '{"id":"r1","ok":tru' }, { malformed: '{"id":"r2","ok":"yes"}' }] } });
    open();
    for (const expected of [/not JSON/, /not a frame/]) {
      const failure = (await failureOf(session.run('broken', {}))) as PowerShellSessionError;
      expect(failure.reason).toBe('protocol');
      expect(failure.message).toMatch(expected);
    }
    await expect(session.run('echo', { ok: 1 })).resolves.toEqual({ script: 'echo', params: { ok: 1 } });
  });

  it('refuses an answer to a request it did not ask about', async () => {
    host.setScenario({ scripts: { echo: [{ wrongId: true }, { echo: true }] } });
    open();
    const failure = (await failureOf(session.run('echo', {}))) as PowerShellSessionError;
    expect(failure.reason).toBe('protocol');
    await expect(session.run('echo', { again: true })).resolves.toEqual({ script: 'echo', params: { again: true } });
  });

  it('refuses a script name outside the allow-list without sending anything', async () => {
    open();
    for (const script of ['../evil', 'Vm-Create', 'x; Stop-Computer', 'a b', '']) {
      const failure = (await failureOf(session.run(script, {}))) as PowerShellSessionError;
      expect(failure.reason).toBe('invalid-request');
    }
    expect(host.requests()).toEqual([]);
  });

  it('relays the loop refusing a script that does not exist', async () => {
    open();
    const failure = (await failureOf(session.run('no-such-script', {}))) as PowerShellScriptError;
    expect(failure).toBeInstanceOf(PowerShellScriptError);
    expect(failure.info.fullyQualifiedErrorId).toBe('ScriptNotFound');
  });

  it('reports a loop that cannot start (Hyper-V missing) on start()', async () => {
    host.setScenario({ startup: { fail: { message: "The specified module 'Hyper-V' was not loaded", category: 'ResourceUnavailable', fullyQualifiedErrorId: 'Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand' } } });
    open();
    const failure = (await failureOf(session.start())) as PowerShellSessionError;
    expect(failure.reason).toBe('start-failed');
    expect(failure.message).toContain("The specified module 'Hyper-V' was not loaded");
  });

  it('gives up on a loop that never reports ready', async () => {
    host.setScenario({ startup: { hang: true } });
    open({ startTimeoutMs: 300 });
    const failure = (await failureOf(session.run('echo', {}))) as PowerShellSessionError;
    expect(failure.reason).toBe('start-failed');
    expect(failure.message).toContain('did not report ready within 300 ms');
  });

  it('reports an executable that does not exist', async () => {
    open({ executable: '/nonexistent/powershell.exe', args: [] });
    const failure = (await failureOf(session.run('echo', {}))) as PowerShellSessionError;
    expect(failure.reason).toBe('start-failed');
    expect(failure.message).toMatch(/could not be run|exited/);
  });

  it('drops an aborted request from the queue without sending it', async () => {
    host.setScenario({ scripts: { slow: { delayMs: 200 } } });
    open();
    const controller = new AbortController();
    const running = session.run('slow', { n: 1 });
    const queued = session.run('echo', { n: 2 }, { signal: controller.signal });
    controller.abort();
    const failure = (await failureOf(queued)) as PowerShellSessionError;
    expect(failure.reason).toBe('aborted');
    await expect(running).resolves.toEqual({ script: 'slow', params: { n: 1 } });
    expect(host.requests().map((r) => r.request?.params.n)).toEqual([1]);
  });

  it('kills the session to stop an aborted request that is running', async () => {
    host.setScenario({ scripts: { hangs: { hang: true } } });
    open();
    const firstPid = await session.run('pid', {});
    const controller = new AbortController();
    const running = session.run('hangs', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const failure = (await failureOf(running)) as PowerShellSessionError;
    expect(failure.reason).toBe('aborted');
    await expect(session.run('pid', {})).resolves.not.toBe(firstPid);
  });

  it('stops cleanly: the loop exits on end of input and later requests are refused', async () => {
    host.setScenario({ scripts: { slow: { delayMs: 300 } } });
    open();
    await session.run('echo', {});
    const running = failureOf(session.run('slow', {}));
    const queued = failureOf(session.run('echo', {}));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await session.stop();
    expect(((await running) as PowerShellSessionError).reason).toBe('stopped');
    expect(((await queued) as PowerShellSessionError).reason).toBe('stopped');
    expect(((await failureOf(session.run('echo', {}))) as PowerShellSessionError).reason).toBe('stopped');
  });
});
