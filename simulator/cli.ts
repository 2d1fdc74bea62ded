import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  KNOB_DEFAULTS,
  OAUTH_CLIENT_PAGING_MODES,
  type OAuthClientPaging,
  type SimulatorOptions,
} from './options';
import { realisticOrgSeed, SAMPLE_CLIENT_NAME, SAMPLE_ROLE, sampleOrgSeed } from './seeds';
import { GenesysSimulator } from './server';
import type { OrgSeed, SeededOrg } from './state';

/** Where the command writes, and the environment it reads the bootstrap credentials from. */
export interface SimulatorCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

/** A started simulator (run until stopped), or the exit code when the command ended at once. */
export type SimulatorCliOutcome =
  | { readonly kind: 'running'; readonly simulator: GenesysSimulator }
  | { readonly kind: 'exit'; readonly exitCode: number };

export const SIMULATOR_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The region the printed command uses; the simulator answers whatever region the caller means. */
const REGION = 'eu-west-1';

const ORG_SHAPES: Record<string, () => OrgSeed> = { sample: sampleOrgSeed, realistic: realisticOrgSeed };

interface CliOptions {
  port: number;
  latency: number;
  newClientDelay: number;
  activationDelay: number;
  listingLag: number;
  readAfterCreate404: number;
  deletedLinger: number;
  clientPaging: OAuthClientPaging;
  clientPageSize: number;
  activationError?: string;
  org: string;
}

const integerIn =
  (what: string, min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}.`);
    return value;
  };
const milliseconds = integerIn('a time in milliseconds', 0, 3_600_000);

function buildProgram(io: SimulatorCliIo): Command {
  return new Command('simulator')
    .description(
      'Run the Genesys Cloud Platform API simulator (API and login on one URL) with a seeded org, until Ctrl-C',
    )
    .helpOption('-h, --help', 'show this help')
    .option('--port <number>', 'port to listen on; 0 picks a free one', integerIn('port', 0, 65_535), 0)
    .addOption(
      new Option('--org <shape>', 'the org to seed: sample (small) or realistic (real-org shapes)')
        .choices(Object.keys(ORG_SHAPES))
        .default('sample'),
    )
    .option('--latency <ms>', 'added to every answer', milliseconds, KNOB_DEFAULTS.latencyMs)
    .option(
      '--new-client-delay <ms>',
      "time before a new client's credentials work",
      milliseconds,
      KNOB_DEFAULTS.newClientDelayMs,
    )
    .option(
      '--activation-delay <ms>',
      'time an enabled integration reports ACTIVATING',
      milliseconds,
      KNOB_DEFAULTS.activationDelayMs,
    )
    .option(
      '--listing-lag <ms>',
      'time a new OAuth client is missing from the client listing',
      milliseconds,
      KNOB_DEFAULTS.oauthClientListingLagMs,
    )
    .option(
      '--read-after-create-404 <ms>',
      'time reads by id of a new client, integration or credential answer 404',
      milliseconds,
      KNOB_DEFAULTS.readAfterCreateNotFoundMs,
    )
    .option(
      '--deleted-linger <ms>',
      'time a deleted OAuth client stays listed with state "deleted"',
      milliseconds,
      KNOB_DEFAULTS.deletedClientLingerMs,
    )
    .addOption(
      new Option('--client-paging <mode>', 'how GET /api/v2/oauth/clients pages')
        .choices(OAUTH_CLIENT_PAGING_MODES)
        .default(KNOB_DEFAULTS.oauthClientPaging),
    )
    .option(
      '--client-page-size <n>',
      'default page size of the client listing',
      integerIn('a page size', 1, 500),
      KNOB_DEFAULTS.oauthClientPageSize,
    )
    .option(
      '--activation-error <message>',
      'make every integration activation end in ERROR with this message',
    )
    .allowExcessArguments(false)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
}

function simulatorOptions(cli: CliOptions): SimulatorOptions {
  return {
    port: cli.port,
    latencyMs: cli.latency,
    newClientDelayMs: cli.newClientDelay,
    activationDelayMs: cli.activationDelay,
    oauthClientListingLagMs: cli.listingLag,
    readAfterCreateNotFoundMs: cli.readAfterCreate404,
    deletedClientLingerMs: cli.deletedLinger,
    oauthClientPaging: cli.clientPaging,
    oauthClientPageSize: cli.clientPageSize,
    activationError: cli.activationError === undefined ? undefined : { message: cli.activationError },
  };
}

/** Quotes a shell word when it needs it (POSIX shells). */
const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;

function banner(
  simulator: GenesysSimulator,
  seeded: SeededOrg,
  url: string,
  credentialsFromEnv: boolean,
): string {
  const { org, bootstrap } = seeded;
  const held = org.clients.get(bootstrap.clientId)?.roleDivisions ?? [];
  const roleLines = org.roles.map((role) => {
    const grants = held.filter((rd) => rd.roleId === role.id);
    const where = grants
      .map((rd) =>
        rd.divisionId === '*' ? 'all divisions' : org.divisions.find((d) => d.id === rd.divisionId)?.name,
      )
      .join(', ');
    return `  ${grants.length > 0 ? '*' : ' '} ${role.name}${grants.length > 0 ? ` (${where})` : ''}`;
  });
  const knob = simulator.knob;
  const command = [
    ...(credentialsFromEnv
      ? []
      : [
          `GENESYSCLOUD_OAUTHCLIENT_ID=${bootstrap.clientId}`,
          `GENESYSCLOUD_OAUTHCLIENT_SECRET=${bootstrap.clientSecret}`,
        ]),
    'npx genesys-onboard onboard',
    `--org-id ${org.id}`,
    `--region ${REGION}`,
    `--role ${shellWord(SAMPLE_ROLE)}`,
    `--client-name ${SAMPLE_CLIENT_NAME}`,
    `--integration-name ${shellWord('Acme Data Actions')}`,
    `--api-url ${url}`,
    `--login-url ${url}`,
  ].join(' ');
  return [
    `Genesys Cloud simulator on ${url} (API and login)`,
    `org: ${org.name} (${org.id})`,
    `region: ${REGION} (any region works: --api-url and --login-url point a client here)`,
    `bootstrap client: ${org.clients.get(bootstrap.clientId)?.name} (${bootstrap.clientId})${
      credentialsFromEnv
        ? ', credentials from GENESYSCLOUD_OAUTHCLIENT_ID/_SECRET'
        : ', credentials generated for this run (simulator only)'
    }`,
    'roles (* = held by the bootstrap client):',
    ...roleLines,
    `knobs: client listing ${knob('oauthClientPaging')} in pages of ${knob('oauthClientPageSize')}, ` +
      `listing lag ${knob('oauthClientListingLagMs')} ms, 404 for ${knob('readAfterCreateNotFoundMs')} ms after a create, ` +
      `deleted clients linger ${knob('deletedClientLingerMs')} ms, new clients usable after ${knob('newClientDelayMs')} ms, ` +
      `activation ${knob('activationDelayMs')} ms${knob('activationError') ? ' then ERROR' : ''}, latency ${knob('latencyMs')} ms`,
    '',
    'Onboard this org:',
    `  ${command}`,
    '',
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}

/** Why listening failed, in one line. */
function listenProblem(error: unknown, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return `port ${port} is in use: pick another with --port, or --port 0 for a free one`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}: pick a port above 1023`;
  return `cannot listen on port ${port}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * `npm run simulator [options]`: parses the options, seeds the org (bootstrap credentials from
 * `GENESYSCLOUD_OAUTHCLIENT_ID`/`_SECRET` when both are set, else generated and printed), starts the simulator
 * and prints what to use it with.
 * @param argv the user's arguments, without `node` and the script
 * @returns the running simulator, or the exit code: 0 after `--help`, 2 for a usage error, 1 when it cannot
 *   listen; errors are one line on stderr, never a stack trace
 */
export async function runSimulatorCli(
  argv: readonly string[],
  io: SimulatorCliIo,
): Promise<SimulatorCliOutcome> {
  const program = buildProgram(io);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const helped = error.code === 'commander.helpDisplayed' || error.code === 'commander.help';
    return { kind: 'exit', exitCode: helped ? SIMULATOR_EXIT.ok : SIMULATOR_EXIT.usage };
  }
  const cli = program.opts<CliOptions>();
  const simulator = new GenesysSimulator(simulatorOptions(cli));
  const clientId = io.env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = io.env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  const credentialsFromEnv = Boolean(clientId && clientSecret);
  const seed = ORG_SHAPES[cli.org]?.() ?? sampleOrgSeed();
  const seeded = simulator.addOrg(
    credentialsFromEnv ? { ...seed, bootstrap: { ...seed.bootstrap, clientId, clientSecret } } : seed,
  );
  try {
    const url = await simulator.start();
    io.stdout.write(banner(simulator, seeded, url, credentialsFromEnv));
    return { kind: 'running', simulator };
  } catch (error) {
    io.stderr.write(`error: ${listenProblem(error, cli.port)}\n`);
    return { kind: 'exit', exitCode: SIMULATOR_EXIT.failed };
  }
}
