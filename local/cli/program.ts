import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import { isKnownRegion } from '../../lambdas/genesys/regions';
import { bootstrapSecretName, DEFAULT_SECRET_PREFIX } from '../../lambdas/shared/naming';
import { type OnboardingRequestInput, parseOnboardingRequest } from '../../lambdas/shared/request';
import { InvalidRequestError, type RequestProblem } from '../../lambdas/shared/request-fields';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { GenesysSimulator } from '../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import { FileSecretStore } from '../adapters/file-secret-store';
import { ProgressPrinter } from './progress';
import { describeReport, jsonReport } from './report';
import { type BootstrapCredentials, runOnboarding } from './run-onboarding';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the CLI was called: exit 2, naming the flag and the problem. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Request fields -> the flags that set them, so a validation problem names the flag. */
const FLAG_OF_FIELD: Record<string, string> = {
  orgId: '--org-id',
  region: '--region',
  'oauthClient.name': '--client-name',
  'oauthClient.roles': '--role',
  'oauthClient.divisionId': '--division',
  'integration.name': '--integration-name',
};

const DEFAULT_SECRET_DIR = path.join(homedir(), '.genesys-onboarding', 'secrets');

export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('genesys-onboard')
    .description(
      'Set up Genesys Cloud Data Actions for an org: OAuth client, stored secret, configured integration',
    )
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command('demo')
    .description(
      'Start the bundled Genesys Cloud simulator, onboard a sample org, then show that a second run changes nothing',
    )
    .option(
      '--secret-dir <dir>',
      'where to keep the secrets it creates (default: a temporary folder, removed at the end)',
    )
    .option('--verbose', "print the functions' JSON logs to stderr")
    .exitOverride()
    .action(async (options: { secretDir?: string }) => setExitCode(await demo(io, options)));

  program
    .command('onboard')
    .description('Onboard a Genesys Cloud org from this machine, with the same workflow as the AWS stack')
    .requiredOption(
      '--org-id <id>',
      "the Genesys Cloud organization id (checked against the bootstrap client's org)",
    )
    .addOption(
      new Option(
        '--region <region>',
        'Genesys Cloud region: AWS-style key (eu-west-1) or domain (mypurecloud.ie)',
      ).env('GENESYSCLOUD_REGION'),
    )
    .option(
      '--role <name>',
      'a role to grant the OAuth client, by exact name (repeat for several)',
      collect,
      [],
    )
    .requiredOption('--client-name <name>', 'name of the OAuth client to find or create')
    .requiredOption('--integration-name <name>', 'name of the Data Actions integration to find or create')
    .option(
      '--division <id>',
      'division of the roles: a division id, or * for all (default: the home division)',
    )
    .option('--api-url <url>', 'API base URL override (sandboxes, proxies, the simulator)')
    .option('--login-url <url>', 'login base URL override')
    .addOption(
      new Option('--secret-store <store>', 'where the client secret is kept')
        .choices(['file', 'aws'])
        .default('file'),
    )
    .option('--secret-dir <dir>', 'folder of the file secret store', DEFAULT_SECRET_DIR)
    .option('--secret-prefix <prefix>', 'prefix of the secret names', DEFAULT_SECRET_PREFIX)
    .option('--json', "print one JSON object with the ids and the secret's id")
    .option('--verbose', "print the functions' JSON logs to stderr")
    .addHelpText(
      'after',
      '\nBootstrap credentials come from GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (held in\nmemory only), or else from the secret <prefix>/<org id>/bootstrap in the secret store.',
    )
    .exitOverride()
    .action(async (options: OnboardFlags) => setExitCode(await onboard(io, options)));

  return program;
}

interface OnboardFlags {
  orgId: string;
  region?: string;
  role: string[];
  clientName: string;
  integrationName: string;
  division?: string;
  apiUrl?: string;
  loginUrl?: string;
  secretStore: 'file' | 'aws';
  secretDir: string;
  secretPrefix: string;
  json?: boolean;
}

async function onboard(io: Io, flags: OnboardFlags): Promise<number> {
  if (!flags.region) throw new UsageError('--region is required (or set GENESYSCLOUD_REGION)');
  if (flags.role.length === 0) throw new UsageError('--role is required: name at least one role to grant');
  if (!isKnownRegion(flags.region) && !flags.apiUrl) {
    throw new UsageError(
      `--region ${JSON.stringify(flags.region)} is not a Genesys Cloud region (see --help), and no --api-url is given`,
    );
  }
  for (const [flag, value] of [
    ['--api-url', flags.apiUrl],
    ['--login-url', flags.loginUrl],
  ] as const) {
    if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value))
      throw new UsageError(`${flag} must be an http(s) URL`);
  }
  const input: OnboardingRequestInput = {
    orgId: flags.orgId,
    region: isKnownRegion(flags.region) ? flags.region : 'us-east-1',
    oauthClient: {
      name: flags.clientName,
      roles: flags.role,
      ...(flags.division ? { divisionId: flags.division } : {}),
    },
    integration: { name: flags.integrationName },
  };
  // Every problem with the flags is reported before anything is read or created.
  const request = await runWithUsage(async () =>
    parseOnboardingRequest(input, { secretPrefix: flags.secretPrefix }),
  );
  const store: SecretStore =
    flags.secretStore === 'aws' ? new AwsSecretStore() : new FileSecretStore(flags.secretDir);
  const bootstrap = await bootstrapFromEnv(io.env, store, flags);
  const progress = flags.json ? undefined : new ProgressPrinter(io.stderr as never);
  const report = await runWithUsage(() =>
    runOnboarding({
      request,
      ...(bootstrap ? { bootstrap } : {}),
      apiUrl: flags.apiUrl,
      loginUrl: flags.loginUrl,
      store,
      secretPrefix: flags.secretPrefix,
      onProgress: progress?.handle,
    }),
  ).finally(() => progress?.stop());
  if (flags.json) io.stdout.write(`${JSON.stringify(jsonReport(report))}\n`);
  else io.stdout.write(`${describeReport(report)}\n`);
  return report.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

async function bootstrapFromEnv(
  env: NodeJS.ProcessEnv,
  store: SecretStore,
  flags: OnboardFlags,
): Promise<BootstrapCredentials | undefined> {
  const clientId = env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  if (clientId && clientSecret) return { clientId, clientSecret };
  if (clientId || clientSecret) {
    throw new UsageError(
      'set both GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, or neither',
    );
  }
  const name = bootstrapSecretName(flags.secretPrefix, flags.orgId.toLowerCase());
  if (flags.secretStore === 'file' && !(await store.get(name).catch(() => undefined))) {
    throw new UsageError(
      `no bootstrap credentials: set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, or store them as ${name} in --secret-dir`,
    );
  }
  return undefined;
}

/** A request the workflow refuses is a usage error, with the flag named. */
async function runWithUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidRequestError)
      throw new UsageError(error.problems.map(describeProblem).join('; '));
    throw error;
  }
}

const describeProblem = (problem: RequestProblem) =>
  `${FLAG_OF_FIELD[problem.field] ?? FLAG_OF_FIELD[problem.field.replace(/\.\d+$/, '')] ?? problem.field} ${problem.problem}`;

async function demo(io: Io, options: { secretDir?: string }): Promise<number> {
  const out = (line = '') => io.stdout.write(`${line}\n`);
  const simulator = new GenesysSimulator({ newClientDelayMs: 400, activationDelayMs: 300, latencyMs: 5 });
  const { org, bootstrap } = simulator.addOrg(sampleOrgSeed());
  const temporary = options.secretDir ? undefined : mkdtempSync(path.join(tmpdir(), 'genesys-onboard-demo-'));
  const secretDir = options.secretDir ?? (temporary as string);
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
    const run = async (title: string) => {
      out();
      out(title);
      const progress = new ProgressPrinter(io.stdout);
      try {
        return await runOnboarding({
          request,
          bootstrap,
          apiUrl: url,
          loginUrl: url,
          store: new FileSecretStore(secretDir),
          secretPrefix: DEFAULT_SECRET_PREFIX,
          fastDelaysMs: 150,
          onProgress: progress.handle,
        });
      } finally {
        progress.stop();
      }
    };
    const first = await run('First run: onboard the org');
    out(describeReport(first));
    if (first.status !== 'SUCCEEDED') return EXIT.failed;
    const second = await run('Second run: the same request again');
    out(describeReport(second));
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
    await simulator.stop();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; help shown because of a mistake (no command) is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
