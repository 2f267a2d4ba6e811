import { AgentConfigError, loadAgentConfig } from './agent-config';

describe(loadAgentConfig.name, () => {
  it('reads the command line, with driver options passed through', () => {
    const config = loadAgentConfig(
      ['--server', 'https://cp.example.com/', '--enroll-token', 'ohxe_x', '--driver', 'sim', '--data-dir', '/tmp/a', '--sim-action-delay-ms', '0', '--sim-cores=8'],
      {},
    );
    expect(config).toMatchObject({ serverUrl: 'https://cp.example.com', enrollToken: 'ohxe_x', driver: 'sim', dataDir: '/tmp/a', concurrency: 4, sim: { 'action-delay-ms': '0', cores: '8' }, hyperv: {} });
  });

  it('falls back to environment variables and defaults to the hyperv driver', () => {
    const config = loadAgentConfig([], { OPENHVX_SERVER: 'http://10.0.0.1:8080', OPENHVX_ENROLL_TOKEN: 't', OPENHVX_AGENT_CONCURRENCY: '2' });
    expect(config).toMatchObject({ serverUrl: 'http://10.0.0.1:8080', enrollToken: 't', driver: 'hyperv', concurrency: 2 });
  });

  it.each([
    [[], /--server must be/],
    [['--server', 'ftp://x'], /--server must be/],
    [['--server', 'http://x', '--driver', 'kvm'], /--driver must be hyperv or sim/],
    [['--server', 'http://x', '--concurrency', '0'], /--concurrency must be a positive integer/],
    [['--server', 'http://x', '--colour'], /Unknown option '--colour'/],
    [['--server', 'http://x', '--sim-cores'], /--sim-cores needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => loadAgentConfig(argv as string[], {})).toThrow(AgentConfigError);
    expect(() => loadAgentConfig(argv as string[], {})).toThrow(message);
  });
});
