import { Command, CommanderError } from 'commander';
import type { BulkOnboardFlags } from './bulk-flags';
import {
  addConnectionOptions,
  addOrgOptions,
  collect,
  flagContext,
  longFlags,
  orgHelpFooter,
  required,
  SECRET_RECOVERY_WINDOW_DAYS,
} from './command-options';
import type { OffboardFlags } from './offboard-flags';
import type { Io } from './onboard';
import type { RotateFlags } from './rotate-flags';
import { addStatusCommand } from './status-command';
import { EXIT, formatUsageProblems, UsageError, type UsageProblem, usageJson } from './usage';

// Only commander and small modules load at start: a command's modules (the workflow engine, the AWS SDK,
// listr2, the simulator) are required when it runs, so --help and --version stay fast. require, not import():
// the bundle, tsx's CommonJS hook and jest all load it lazily.

export type { Io } from './onboard';

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
      const { leftoverProblems } = require('./flags') as typeof import('./flags');
      const problems = leftoverProblems(command.args, longFlags(command));
      if (problems.length > 0) throw new UsageError(problems);
      const { demo } = require('./demo') as typeof import('./demo');
      setExitCode(await demo(io, options));
    });

  const onboard = addOrgOptions(
    program
      .command('onboard')
      .description('Onboard a Genesys Cloud org from this machine, with the same workflow as the AWS stack'),
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
    );
  addConnectionOptions(onboard)
    .option(
      '--kms-key-id <key>',
      'KMS key for the result secret with --secret-store aws (default: aws/secretsmanager)',
    )
    .option(
      '--dry-run',
      'only look (read-only): print what a run would create, use, adopt or change, and what it would refuse',
    )
    .option('--json', "print one JSON object (ids, the secret's id, or the error): usage errors too")
    .option('--verbose', "print the functions' JSON logs to stderr")
    .option(
      '--manifest <file>',
      "onboard every org of a manifest instead: JSON Lines or CSV, one request per line, each org's bootstrap secret from the store (--json: one line per org, then a summary)",
    )
    .option('--concurrency <n>', 'with --manifest: orgs onboarded at once, 1 to 100 (default: 10)')
    .addHelpText(
      'after',
      orgHelpFooter([
        'Exit codes: 0 onboarded (or planned, with --dry-run), 1 failed (rolled back) or refused, 2 usage error, 130 stopped by Ctrl-C.',
        'With --manifest: 0 when every line was onboarded, 1 when any line failed or was invalid (each is listed).',
        'Ctrl-C once: finish the running step, then remove what this run created; twice: stop at once.',
      ]),
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  onboard.action(async (options: BulkOnboardFlags, command: Command) => {
    const bulk = require('./bulk-flags') as typeof import('./bulk-flags');
    if (options.manifest !== undefined) {
      const { bulkOnboard } = require('./bulk-onboard') as typeof import('./bulk-onboard');
      setExitCode(await bulkOnboard(io, bulk.bulkOnboardSettings(options, flagContext(command, io.env))));
      return;
    }
    const { onboardSettings } = require('./onboard-flags') as typeof import('./onboard-flags');
    const settings = bulk.singleOrgSettings(options, () =>
      onboardSettings(options, flagContext(command, io.env)),
    );
    const { onboard: run } = require('./onboard') as typeof import('./onboard');
    setExitCode(await run(io, settings));
  });

  const offboard = addOrgOptions(
    program
      .command('offboard')
      .description(
        "Remove what onboarding set up in an org (integration, credentials, OAuth client, result secret), only what is provably this tool's",
      ),
  )
    .option('--client-name <name>', "find the OAuth client by name when the org's stored record is lost")
    .option('--integration-name <name>', "find the integration by name when the org's stored record is lost")
    .option(
      '--force',
      'remove the client and integration named above even without the ownership marker (never the bootstrap client)',
    )
    .option(
      '--idempotency-key <key>',
      'names the offboarding: the same key for the org is the same offboarding (1-64 of A-Z a-z 0-9 - _)',
    );
  addConnectionOptions(offboard)
    .option(
      '--dry-run',
      'only look (read-only): print what would be removed and why, what is already gone and what is left alone',
    )
    .option('--json', 'print one JSON object (what was removed, already gone, left alone; or the error)')
    .option('--verbose', "print the functions' JSON logs to stderr")
    .addHelpText(
      'after',
      orgHelpFooter([
        'Exit codes: 0 nothing of ours is left (or planned, with --dry-run), 1 failed (what is left is named),',
        '2 usage error, 130 stopped by Ctrl-C.',
        'Ctrl-C once: finish the running step and start no other (nothing is rolled back: running the same command',
        'again finishes the offboarding); twice: stop at once.',
        `The file store deletes the result secret at once; Secrets Manager keeps it restorable for ${SECRET_RECOVERY_WINDOW_DAYS} days.`,
      ]),
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  offboard.action(async (options: OffboardFlags, command: Command) => {
    const { offboardSettings } = require('./offboard-flags') as typeof import('./offboard-flags');
    const settings = offboardSettings(options, flagContext(command, io.env));
    const { offboard: run } = require('./offboard') as typeof import('./offboard');
    setExitCode(await run(io, settings));
  });

  const rotate = addOrgOptions(
    program
      .command('rotate')
      .description(
        "Rotate an onboarded org's OAuth client secret without downtime: a second client, the integration switched to it, the previous one removed",
      ),
  )
    .option('--client-name <name>', "check that the org's record names this OAuth client")
    .option('--integration-name <name>', "check that the org's record names this integration");
  addConnectionOptions(rotate)
    .option(
      '--json',
      'print one JSON object: the ids (orgId, oauthClientId, previousOauthClientId, integrationId, credentialId, secretId) or the error',
    )
    .option('--verbose', "print the functions' JSON logs to stderr")
    .addHelpText(
      'after',
      orgHelpFooter([
        'Exit codes: 0 rotated, 1 failed or refused (the integration keeps a client that works; running the same',
        'command again resumes the rotation), 2 usage error, 130 stopped by Ctrl-C.',
        'Ctrl-C once: finish the running step and start no other; twice: stop at once. In AWS, rotation runs on',
        "Secrets Manager's schedule; rotate now there with: aws secretsmanager rotate-secret --secret-id <prefix>/<org id>/data-actions-client",
      ]),
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  rotate.action(async (options: RotateFlags, command: Command) => {
    const { rotateSettings } = require('./rotate-flags') as typeof import('./rotate-flags');
    const settings = rotateSettings(options, flagContext(command, io.env));
    const { rotate: run } = require('./rotate') as typeof import('./rotate');
    setExitCode(await run(io, settings));
  });

  addStatusCommand(program, io, setExitCode);

  return program;
}

function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Whether the output is JSON: usage errors then go to stdout as `{"error":"usage","problems":[...]}`. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** A commander parse error as usage problems; `commands`: the program's command names. */
function commanderProblems(
  error: CommanderError,
  argv: readonly string[],
  commands: readonly string[],
): UsageProblem[] {
  const quoted = /'([^' ]+)/.exec(error.message)?.[1];
  const use = `use ${commands.slice(0, -1).join(', ')} or ${commands[commands.length - 1]}`;
  switch (error.code) {
    case 'commander.unknownCommand':
      return [{ flag: quoted ?? 'command', problem: `is not a command: ${use}` }];
    case 'commander.help':
      return [{ flag: 'command', problem: `is missing: ${use}` }];
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
      return usage(
        commanderProblems(
          error,
          argv.slice(2),
          program.commands.map((command) => command.name()),
        ),
      );
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
