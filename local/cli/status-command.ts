import { homedir } from 'node:os';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { DEFAULT_SECRET_PREFIX } from '../../lambdas/shared/naming';
import type { Io } from './onboard';
import type { StatusFlags } from './status-flags';

// Only commander and small modules load here: the checks, the Genesys client and the AWS SDK are required
// when the command runs, so --help stays fast.

const DEFAULT_SECRET_DIR = path.join(homedir(), '.genesys-onboarding', 'secrets');

/**
 * `genesys-onboard status --org-id ID --region R [connection flags] [--json]`: read-only checks of one org
 * against its record. Exit 0 healthy, 3 drifted, 1 could not check, 2 usage error.
 */
export function addStatusCommand(program: Command, io: Io, setExitCode: (code: number) => void): Command {
  const command = program
    .command('status')
    .description("Check one org's setup against its stored record, read-only: nothing is changed")
    .addOption(
      new Option('--org-id <id>', 'the Genesys Cloud organization id').helpGroup('Required options:'),
    )
    .addOption(
      new Option('--region <region>', 'Genesys Cloud region (AWS-style key or domain)')
        .env('GENESYSCLOUD_REGION')
        .helpGroup('Required options:'),
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
        "a host besides Genesys Cloud's own that URLs from the bootstrap secret may use (repeat for several)",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(
      new Option('--secret-store <store>', 'where the secrets are: file or aws (Secrets Manager)').default(
        'file',
      ),
    )
    .option('--secret-dir <dir>', 'folder of the file secret store', DEFAULT_SECRET_DIR)
    .option('--secret-prefix <prefix>', 'prefix of the secret names', DEFAULT_SECRET_PREFIX)
    .option('--aws-region <region>', 'AWS region of Secrets Manager for --secret-store aws')
    .option('--json', 'print one JSON object: {orgId, region, verdict, rotationInProgress, findings}')
    .option('--verbose', "print the functions' JSON logs to stderr")
    .addHelpText(
      'after',
      [
        '',
        'Bootstrap credentials come from GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (held in',
        'memory only), or else from the stored bootstrap secret. Every call is a read (and token requests).',
        '',
        'Exit codes: 0 healthy, 3 drifted, 1 could not check, 2 usage error.',
      ].join('\n'),
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  command.action(async (options: StatusFlags, self: Command) => {
    const { statusSettings } = require('./status-flags') as typeof import('./status-flags');
    const settings = statusSettings(options, {
      given: (key) => self.getOptionValueSource(key) === 'cli',
      leftovers: self.args,
      knownFlags: self.options.flatMap((option) => (option.long ? [option.long] : [])),
      env: io.env,
    });
    const { status } = require('./status') as typeof import('./status');
    setExitCode(await status(io, settings));
  });
  return command;
}
