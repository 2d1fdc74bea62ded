import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import { FleetError } from '../../lambdas/shared/fleet-errors';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { MANIFEST_LIMITS, manifestFormat, parseManifest } from '../../lambdas/workflows/bulk/manifest';
import { FileSecretStore } from '../adapters/file-secret-store';
import { runLocalBulkOnboarding } from '../bulk';
import { localStepDeps } from '../deps';
import { checkAwsAccess } from './aws-access';
import type { BulkOnboardSettings } from './bulk-flags';
import { BulkProgressDisplay } from './bulk-progress';
import { describeBulkReport, invalidJsonLines, orgJsonLine, summaryJsonLine } from './bulk-report';
import { Interruption } from './interrupt';
import type { Io } from './onboard';
import { EXIT, UsageError } from './usage';

const STOPPING =
  'Ctrl-C: no further org is started; the running ones finish their step, then remove what they created (press Ctrl-C again to stop at once)';

/**
 * `genesys-onboard onboard --manifest FILE`: reads and checks the manifest (JSON Lines or CSV), checks AWS
 * access first with --secret-store aws, then onboards every valid line with the local bulk runner (each org
 * with its own bootstrap secret from the store), `concurrency` at a time, with progress on stderr. Prints a
 * table of every line at the end, or with --json one JSON line per manifest line as it is known (invalid lines
 * first, then each org as it finishes) and a summary line. Resolves with 0 when every line was onboarded, 1
 * when any line failed or was invalid, 130 after Ctrl-C. Throws UsageError (exit 2) for a manifest that
 * cannot be read, is too large or holds no request line.
 */
export async function bulkOnboard(io: Io, settings: BulkOnboardSettings): Promise<number> {
  const manifestName = path.basename(settings.manifestPath);
  const text = await readManifest(settings.manifestPath);
  const format = manifestFormat(settings.manifestPath, text);
  let checked: ReturnType<typeof parseManifest>;
  try {
    checked = parseManifest(text, { format, secretPrefix: settings.secretPrefix });
  } catch (error) {
    if (error instanceof FleetError) throw new UsageError([{ flag: '--manifest', problem: error.message }]);
    throw error;
  }
  if (checked.total === 0) {
    throw new UsageError([{ flag: '--manifest', problem: `${settings.manifestPath} holds no request line` }]);
  }

  let store: SecretStore;
  let kmsKeyId: string | undefined;
  if (settings.store.kind === 'aws') {
    // The first org's result secret (absent is fine, denied is not), or any name under the prefix.
    const firstOrg = checked.items[0]?.orgId;
    const access = await checkAwsAccess({
      ...(settings.store.region ? { region: settings.store.region } : {}),
      probeSecretId: firstOrg
        ? resultSecretName(settings.secretPrefix, firstOrg)
        : `${settings.secretPrefix}/access-check`,
    });
    store = new AwsSecretStore(access.client);
    kmsKeyId = settings.store.kmsKeyId;
  } else {
    store = new FileSecretStore(settings.store.dir);
  }
  const base = localStepDeps({
    secrets: store,
    secretPrefix: settings.secretPrefix,
    allowedHosts: settings.allowedHosts,
  });
  const deps = kmsKeyId ? { ...base, settings: { ...base.settings, resultSecretKmsKeyId: kmsKeyId } } : base;

  const json = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  const showProgress = !settings.json || io.stderr.isTTY === true;
  const progress = showProgress
    ? new BulkProgressDisplay({
        stream: io.stderr,
        live: io.stderr.isTTY === true && !settings.verbose,
        manifestName,
        concurrency: settings.concurrency,
      })
    : undefined;
  const interruption = new Interruption({
    onIdle: () => {
      io.stderr.write('Interrupted: nothing was started.\n');
      process.exit(EXIT.interrupted);
    },
    onStopping: () => (progress ? progress.say(STOPPING) : io.stderr.write(`${STOPPING}\n`)),
    onAborted: () => progress?.say('Ctrl-C again: stopping at once'),
  }).listen();
  interruption.setRunning(true);
  let report: Awaited<ReturnType<typeof runLocalBulkOnboarding>>;
  try {
    report = await runLocalBulkOnboarding({
      manifest: { text, name: settings.manifestPath },
      deps,
      concurrency: settings.concurrency,
      beforeTask: interruption.beforeTask,
      stop: { requested: () => interruption.interrupted, signal: interruption.signal },
      onProgress: (event) => {
        progress?.handle(event);
        if (!settings.json) return;
        if (event.type === 'validated') for (const line of invalidJsonLines(event.invalidLines)) json(line);
        if (event.type === 'finished') json(orgJsonLine(event.outcome));
      },
    });
  } finally {
    interruption.setRunning(false);
    await progress?.close();
    interruption.dispose();
  }
  if (settings.json) {
    for (const outcome of report.outcomes.filter((o) => o.status === 'NOT_STARTED'))
      json(orgJsonLine(outcome));
    json(summaryJsonLine(report.summary));
  } else {
    io.stdout.write(`${describeBulkReport(report, { manifestName, concurrency: settings.concurrency })}\n`);
  }
  if (interruption.interrupted) return EXIT.interrupted;
  const { failed, notStarted } = report.summary;
  return failed === 0 && notStarted === 0 ? EXIT.ok : EXIT.failed;
}

/** The manifest's text; a file that cannot be read or is too large is a usage error naming --manifest. */
async function readManifest(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new UsageError([{ flag: '--manifest', problem: `${file} is not a file` }]);
    if (stat.size > MANIFEST_LIMITS.maxBytes) {
      throw new UsageError([
        {
          flag: '--manifest',
          problem: `${file} has ${stat.size} bytes, more than ${MANIFEST_LIMITS.maxBytes}: split it`,
        },
      ]);
    }
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError([
      {
        flag: '--manifest',
        problem: `${file} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`,
      },
    ]);
  }
}
