import { homedir } from 'node:os';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { GENESYS_REGIONS } from '../../lambdas/genesys/regions';
import { DEFAULT_SECRET_PREFIX } from '../../lambdas/shared/naming';
import type { FlagContext } from './flags';

// Loaded at start with commander: nothing here may require the workflow engine, the AWS SDK, listr2 or zod.

const DEFAULT_SECRET_DIR = path.join(homedir(), '.genesys-onboarding', 'secrets');

/**
 * The recovery window (days) `offboard` asks Secrets Manager for when it deletes the org's result secret, as
 * the stack's default `secretRecoveryWindowDays`. The file store has none: it deletes the file at once.
 */
export const SECRET_RECOVERY_WINDOW_DAYS = 7;
const REQUIRED = 'Required options:';

/** An option commander does not enforce (so that every problem is reported at once), listed as required. */
export function required(flags: string, description: string): Option {
  return new Option(flags, description).helpGroup(REQUIRED);
}

/** commander's argParser for a repeatable option: every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Every long flag of a command (`--org-id`...), for suggestions. */
export function longFlags(command: Command): string[] {
  return command.options.flatMap((option) => (option.long ? [option.long] : []));
}

/** How a command's flags were given (for flags.ts): typed or defaulted, what commander could not place. */
export function flagContext(command: Command, env: NodeJS.ProcessEnv): FlagContext {
  return {
    given: (key) => command.getOptionValueSource(key) === 'cli',
    leftovers: command.args,
    knownFlags: longFlags(command),
    env,
  };
}

/** `--org-id` and `--region`, required, as every command that works on an org takes them. */
export function addOrgOptions(command: Command): Command {
  return command
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
    );
}

/**
 * Where the bootstrap credentials and the secrets are, and which Genesys hosts may be reached:
 * `--bootstrap-secret-id`, `--api-url`, `--login-url`, `--allow-host`, `--secret-store`, `--secret-dir`,
 * `--secret-prefix`, `--aws-region` (checked by connectionSettings in flags.ts).
 */
export function addConnectionOptions(command: Command): Command {
  return command
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
        'where the secrets are kept: file or aws (Secrets Manager)',
      ).default('file'),
    )
    .option('--secret-dir <dir>', 'folder of the file secret store', DEFAULT_SECRET_DIR)
    .option('--secret-prefix <prefix>', 'prefix of the secret names', DEFAULT_SECRET_PREFIX)
    .option(
      '--aws-region <region>',
      'AWS region of Secrets Manager for --secret-store aws (default: the AWS SDK configuration, e.g. AWS_REGION)',
    );
}

/**
 * The end of a command's --help: where the bootstrap credentials come from, the region table, then the
 * command's own lines (exit codes, Ctrl-C).
 */
export function orgHelpFooter(lines: readonly string[]): string {
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
    ...lines,
  ].join('\n');
}
