import { PassThrough } from 'node:stream';
import { ProgressPrinter } from '../../../local/cli/progress';

function capture(tty: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = tty;
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('ProgressPrinter', () => {
  it('prints one plain line per finished step when not on a terminal', () => {
    const out = capture(false);
    const printer = new ProgressPrinter(out.stream);
    printer.handle({ type: 'started', step: 'Prepare' });
    printer.handle({ type: 'retrying', step: 'Verify', error: 'Onboarding.CredentialsNotYetUsable' });
    printer.handle({ type: 'succeeded', step: 'Prepare', ms: 42, calls: 1, retries: 0 });
    printer.handle({
      type: 'failed',
      step: 'ConfigureIntegration',
      ms: 7,
      calls: 2,
      retries: 1,
      error: 'Genesys.BadRequest',
    });
    printer.stop();
    expect(out.text().split('\n')).toEqual([
      '  ↻ Verify the credentials and the integration state: Onboarding.CredentialsNotYetUsable, retrying',
      `✔ ${'Check the org and the bootstrap client, resolve roles'.padEnd(54)}     42 ms  1 Genesys call`,
      `✖ ${'Credential, configuration, enable'.padEnd(54)}      7 ms  2 Genesys calls, 1 retry  Genesys.BadRequest`,
      '',
    ]);
    expect(out.text()).not.toContain('\u001b');
  });

  it('shows a spinner naming the running steps on a terminal, and clears it', async () => {
    const out = capture(true);
    const printer = new ProgressPrinter(out.stream);
    printer.handle({ type: 'started', step: 'EnsureOAuthClient' });
    printer.handle({ type: 'started', step: 'EnsureIntegration' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    printer.handle({ type: 'succeeded', step: 'EnsureOAuthClient', ms: 5, calls: 2, retries: 0 });
    printer.stop();
    const text = out.text();
    expect(text).toContain('OAuth client and its secret | Data Actions integration…');
    expect(text).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /);
    expect(text).toContain('\r\u001b[2K✔ OAuth client and its secret');
    expect(text.endsWith('\r\u001b[2K')).toBe(true);
  });
});
