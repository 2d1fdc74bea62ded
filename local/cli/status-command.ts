import type { Command } from 'commander';
import { addConnectionOptions, addOrgOptions, flagContext, orgHelpFooter } from './command-options';
import type { Io } from './onboard';
import type { StatusFlags } from './status-flags';

// Loaded at start with commander: the checks, the Genesys client and the AWS SDK are required when it runs.

/**
 * `genesys-onboard status --org-id ID --region R [connection flags] [--json]`: read-only checks of one org
 * against its record. Exit 0 healthy, 3 drifted, 1 could not check, 2 usage error.
 */
export function addStatusCommand(program: Command, io: Io, setExitCode: (code: number) => void): Command {
  const command = addOrgOptions(
    program
      .command('status')
      .description("Check one org's setup against its stored record, read-only: nothing is changed"),
  );
  addConnectionOptions(command)
    .option('--json', 'print one JSON object: {orgId, region, verdict, rotationInProgress, findings}')
    .option('--verbose', "print the functions' JSON logs to stderr")
    .addHelpText(
      'after',
      orgHelpFooter([
        'Every call is a read (and token requests): nothing is created, changed or deleted.',
        'Exit codes: 0 healthy, 3 drifted (✘ names each difference), 1 could not check (?), 2 usage error.',
      ]),
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride();
  command.action(async (options: StatusFlags, self: Command) => {
    const { statusSettings } = require('./status-flags') as typeof import('./status-flags');
    const settings = statusSettings(options, flagContext(self, io.env));
    const { status } = require('./status') as typeof import('./status');
    setExitCode(await status(io, settings));
  });
  return command;
}
