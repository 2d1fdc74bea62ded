import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SECRET_PREFIX } from '../../lambdas/shared/naming';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { GenesysSimulator } from '../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import { FileSecretStore } from '../adapters/file-secret-store';
import { Interruption } from './interrupt';
import type { Io } from './onboard';
import { ProgressDisplay } from './progress';
import { describeReport } from './report';
import { runOnboarding } from './run-onboarding';
import { EXIT } from './usage';

export interface DemoOptions {
  /** Where to keep the secrets; absent: a temporary folder, removed at the end (Ctrl-C included). */
  readonly secretDir?: string;
  readonly verbose?: boolean;
}

/**
 * `genesys-onboard demo` (what `npm start` runs): starts the simulator on 127.0.0.1, onboards its sample org,
 * then runs the same request again to show that nothing changes. Everything goes to stdout. Resolves with
 * 0, 1 (a run failed, or the second run changed something) or 130 (Ctrl-C).
 */
export async function demo(io: Io, options: DemoOptions): Promise<number> {
  const out = (line = '') => io.stdout.write(`${line}\n`);
  const simulator = new GenesysSimulator({ newClientDelayMs: 400, activationDelayMs: 300, latencyMs: 5 });
  const { org, bootstrap } = simulator.addOrg(sampleOrgSeed());
  const temporary = options.secretDir ? undefined : mkdtempSync(path.join(tmpdir(), 'genesys-onboard-demo-'));
  const secretDir = options.secretDir ?? (temporary as string);
  const removeTemporary = () => {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  let progress: ProgressDisplay | undefined;
  const interruption = new Interruption({
    onIdle: () => {
      removeTemporary();
      out('Interrupted.');
      process.exit(EXIT.interrupted);
    },
    onStopping: () =>
      progress?.say(
        'Ctrl-C: finishing the running step, then removing what this run created (press Ctrl-C again to stop at once)',
      ),
    onAborted: () => progress?.say('Ctrl-C again: stopping at once'),
  }).listen();
  try {
    const url = await simulator.start();
    out(`Genesys Cloud simulator on ${url}: org "${org.name}" (${org.id})`);
    out(`Secrets go to ${secretDir} (files 0600)`);
    const request = parseOnboardingRequest(
      {
        orgId: org.id,
        region: 'eu-west-1',
        oauthClient: { name: 'acme-data-actions', roles: [SAMPLE_ROLE] },
        integration: { name: 'Acme Data Actions', notes: 'Onboarded by genesys-onboard demo' },
      },
      { secretPrefix: DEFAULT_SECRET_PREFIX },
    );
    const context = { region: request.region };
    const run = async (title: string) => {
      out();
      out(title);
      progress = new ProgressDisplay({
        stream: io.stdout,
        live: io.stdout.isTTY === true && !options.verbose,
      });
      try {
        return await runOnboarding({
          request,
          bootstrapSecret: JSON.stringify({ ...bootstrap, apiUrl: url, loginUrl: url }),
          store: new FileSecretStore(secretDir),
          secretPrefix: DEFAULT_SECRET_PREFIX,
          allowedHosts: [new URL(url).host],
          fastDelaysMs: 150,
          onProgress: progress.handle,
          interruption,
        });
      } finally {
        await progress.close({ interrupted: interruption.interrupted });
      }
    };
    const first = await run('First run: onboard the org');
    out(describeReport(first, context));
    if (first.interrupted) return EXIT.interrupted;
    if (first.status !== 'SUCCEEDED') return EXIT.failed;
    const second = await run('Second run: the same request again');
    out(describeReport(second, context));
    if (second.interrupted) return EXIT.interrupted;
    if (second.status !== 'SUCCEEDED') return EXIT.failed;
    out();
    if (second.writes > 0) {
      out(`The second run changed ${second.writes} things: it should have changed nothing.`);
      return EXIT.failed;
    }
    out(
      `Nothing changed on the second run: ${second.calls} Genesys calls, all reads (the first run made ${first.writes} changes).`,
    );
    return EXIT.ok;
  } finally {
    interruption.dispose();
    await simulator.stop();
    removeTemporary();
  }
}
