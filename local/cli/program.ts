import { homedir } from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { GENESYS_REGIONS } from '../../lambdas/genesys/regions';
import { DEFAULT_SECRET_PREFIX } from '../../lambdas/shared/naming';
import type { BulkOnboardFlags } from './bulk-flags';
import type { Io } from './onboard';
import { addStatusCommand } from './status-command';
import { EXIT, formatUsageProblems, UsageError, type UsageProblem, usageJson } from './usage';

// Only commander and small modules load at start: a command's modules (the workflow engine, the AWS SDK,
// listr2, the simulator) are required when it runs, so --help and --version stay fast. require, not import():
// the bundle, tsx's CommonJS hook and jest all load it lazily.

export type { Io } from './onboard';

const DEFAULT_SECRET_DIR = path.join(homedir(), '.genesys-onboarding', 'secrets');
const REQUIRED = 'Required options:';

/** The genesys-onboard commands; each action reports its exit code through `setExitCode`. */
export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('genesys-onboard')
    .description(
      'Set up Genesys Cloud Data Actions for an org: OAuth client, stored secret, configured integration',
    )
    .version(packageVersion())
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => undefined,
    })
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
    .option('--verbose', "print the functions' JSON logs")
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride()
    .action(async (options: { secretDir?: string; verbose?: boolean }, command: Command) => {
      const { leftoverProblems } = require('./onboard-flags') as typeof import('./onboard-flags');
      const problems = leftoverProblems(command.args, longFlags(command));
      if (problems.length > 0) throw new UsageError(problems);
      const { demo } = require('./demo') as typeof import('./demo');
      setExitCode(await demo(io, options));
    });

  const onboard = program
    .command('onboard')
    .description('Onboard a Genesys Cloud org from this machine, with the same workflow as the AWS stack')
    .addOption(
      required(
        '--org-id <id>',
        "the Genesys Cloud organization id (checked against the bootstrap client's org)",
      ),
    )
    .addOption(
      required(
        '--region <region>',
        'Genesys Cloud region: an AWS-style key (eu-west-1) or its domain (mypurecloud.ie), see below; another name works with --api-url/--login-url or URLs in the bootstrap secret',
      ).env('GENESYSCLOUD_REGION'),
    )
    .addOption(
      required(
        '--role <name>',
        'a role to grant the OAuth client, by exact name (repeat for several)',
      ).argParser(collect),
    )
    .addOption(required('--client-name <name>', 'name of the OAuth client to find or create'))
    .addOption(
      required('--integration-name <name>', 'name of the Data Actions integration to find or create'),
    )
    .option(
      '--division <id>',
      'division of the roles: a division id, or * for all (default: the home division)',
    )
    .option('--client-description <text>', 'description of the OAuth client')
    .option('--token-validity <seconds>', 'lifetime of its access tokens, 300 to 172800 (default: 86400)')
    .option('--integration-notes <text>', "notes in the integration's configuration")
    .option('--adopt-existing', 'take over a same-name client or integration this tool did not create')
    .option('--rename-integration', 'rename the integration recorded for this org to --integration-name')
    .option(
      '--idempotency-key <key>',
      'names the onboarding: the same key for the org is the same onboarding (1-64 of A-Z a-z 0-9 - _)',
    )
    .option(
      '--bootstrap-secret-id <name>',
      'the stored bootstrap secret to use (default: <prefix>/<org id>/bootstrap)',
    )
    .option(
      '--api-url <url>',
      'API base URL override (sandboxes, proxies, the simulator); its host is allowed',
    )
    .option('--login-url <url>', 'login base URL override; its host is allowed')
    .addOption(
      new Option(
        '--allow-host <host>',
        "a host besides Genesys Cloud's own that URLs from the bootstrap secret may use: host, host:port or *.domain (repeat for several)",
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--secret-store <store>',
        'where the client secret is kept: file or aws (Secrets Manager)',
      ).default('file'),
    )
    .option('--secret-dir <dir>', 'folder of the file secret store', DEFAULT_SECRET_DIR)
    .option('--secret-prefix <prefix>', 'prefix of the secret names', DEFAULT_SECRET_PREFIX)
    .option(
      '--aws-region <region>',
      'AWS region of Secrets Manager for --secret-store aws (default: the AWS SDK configuration, e.g. AWS_REGION)',
    )
    .option(
      '--kms-key-id <key>',
      'KMS key for the result secret with --secret-store aws (default: aws/secretsmanager)',
    )
    .option('--json', "print one JSON object (ids, the secret's id, or the error): usage errors too")
    .option('--verbose', "print the functions' JSON logs to stderr")
    .option(
      '--manifest <file>',
      "onboard every org of a manifest instead: JSON Lines or CSV, one request per line, each org's bootstrap secret from the store (--json: one line per org, then a summary)",
    )
    .option('--concurrency <n>', 'with --manifest: orgs onboarded at once, 1 to 100 (default: 10)')
    .addHelpText('after', onboardHelpFooter())
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  onboard.action(async (options: BulkOnboardFlags, command: Command) => {
    const context = {
      given: (key: string) => command.getOptionValueSource(key) === 'cli',
      leftovers: command.args,
      knownFlags: longFlags(command),
      env: io.env,
    };
    const bulk = require('./bulk-flags') as typeof import('./bulk-flags');
    if (options.manifest !== undefined) {
      const { bulkOnboard } = require('./bulk-onboard') as typeof import('./bulk-onboard');
      setExitCode(await bulkOnboard(io, bulk.bulkOnboardSettings(options, context)));
      return;
    }
    const { onboardSettings } = require('./onboard-flags') as typeof import('./onboard-flags');
    const settings = bulk.singleOrgSettings(options, () => onboardSettings(options, context));
    const { onboard: run } = require('./onboard') as typeof import('./onboard');
    setExitCode(await run(io, settings));
  });

  addStatusCommand(program, io, setExitCode);

  return program;
}

/** An option commander does not enforce (so that every problem is reported at once), listed as required. */
function required(flags: string, description: string): Option {
  return new Option(flags, description).helpGroup(REQUIRED);
}

function onboardHelpFooter(): string {
  const width = Math.max(...Object.keys(GENESYS_REGIONS).map((key) => key.length));
  const regions = Object.entries(GENESYS_REGIONS).map(([key, domain]) => `  ${key.padEnd(width)}  ${domain}`);
  return [
    '',
    'Bootstrap credentials come from GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (held in',
    'memory only), or else from the secret <prefix>/<org id>/bootstrap (or --bootstrap-secret-id) in the store.',
    '',
    'Regions (--region or GENESYSCLOUD_REGION):',
    ...regions,
    '',
    'Exit codes: 0 onboarded, 1 failed (rolled back), 2 usage error, 130 stopped by Ctrl-C.',
    'With --manifest: 0 when every line was onboarded, 1 when any line failed or was invalid (each is listed).',
    'Ctrl-C once: finish the running step, then remove what this run created; twice: stop at once.',
  ].join('\n');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function longFlags(command: Command): string[] {
  return command.options.flatMap((option) => (option.long ? [option.long] : []));
}

function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Whether the output is JSON: usage errors then go to stdout as `{"error":"usage","problems":[...]}`. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** A commander parse error as usage problems. */
function commanderProblems(error: CommanderError, argv: readonly string[]): UsageProblem[] {
  const quoted = /'([^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'commander.unknownCommand':
      return [{ flag: quoted ?? 'command', problem: 'is not a command: use demo or onboard' }];
    case 'commander.help':
      return [{ flag: 'command', problem: 'is missing: use demo or onboard' }];
    case 'commander.unknownOption':
      return [{ flag: quoted ?? argv.join(' '), problem: 'is not a known option' }];
    case 'commander.optionMissingArgument':
      return [{ flag: quoted ?? 'option', problem: 'needs a value' }];
    default:
      return [{ flag: quoted ?? 'command line', problem: error.message.replace(/^error: /, '') }];
  }
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const json = wantsJson(argv);
  const usage = (problems: readonly UsageProblem[]) => {
    if (json) io.stdout.write(usageJson(problems));
    else io.stderr.write(formatUsageProblems(problems));
    return EXIT.usage;
  };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0.
      if (error.exitCode === 0) return EXIT.ok;
      return usage(commanderProblems(error, argv.slice(2)));
    }
    if (error instanceof UsageError) return usage(error.problems);
    const message = error instanceof Error ? error.message : String(error);
    if (json) io.stdout.write(`${JSON.stringify({ error: errorName(error), message })}\n`);
    io.stderr.write(`error: ${message}\n`);
    return EXIT.failed;
  }
}

const errorName = (error: unknown): string =>
  error instanceof Error && error.name !== 'Error' ? error.name : 'failed';
