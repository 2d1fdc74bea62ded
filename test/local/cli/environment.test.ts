/** The CLI's first import sets Powertools up before any of its modules reads the environment. */
describe('the CLI environment', () => {
  const saved = { env: { ...process.env }, argv: process.argv, console: globalThis.console };
  const VARIABLES = [
    'POWERTOOLS_METRICS_DISABLED',
    'POWERTOOLS_LOG_LEVEL',
    'POWERTOOLS_DEV',
    'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  ];

  beforeEach(() => {
    for (const name of VARIABLES) delete process.env[name];
  });
  afterEach(() => {
    process.env = { ...saved.env };
    process.argv = saved.argv;
    globalThis.console = saved.console;
  });

  const load = () => jest.isolateModules(() => require('../../../local/cli/environment'));

  it('silences logs and metrics by default', () => {
    process.argv = ['node', 'genesys-onboard', 'onboard'];
    load();
    expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe('true');
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe('SILENT');
    expect(process.env.POWERTOOLS_DEV).toBeUndefined();
    expect(globalThis.console).toBe(saved.console);
  });

  it('sends the functions’ logs to stderr with --verbose', () => {
    process.argv = ['node', 'genesys-onboard', 'onboard', '--verbose'];
    load();
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
    expect(process.env.POWERTOOLS_DEV).toBe('true');
    expect(globalThis.console).not.toBe(saved.console);
  });

  it('keeps what the caller set', () => {
    process.argv = ['node', 'genesys-onboard', 'onboard', '--verbose'];
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    load();
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe('WARN');
    expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe('false');
  });
});
