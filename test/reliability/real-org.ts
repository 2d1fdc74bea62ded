import { resultSecretName } from '../../lambdas/shared/naming';
import { withMarker } from '../../lambdas/shared/ownership';
import type { OnboardingRequestInput } from '../../lambdas/shared/request';
import type { ClientCreationIntent, ResultSecret } from '../../lambdas/shared/secrets';
import type { LocalExecution } from '../../local/runner';
import {
  KNOB_DEFAULTS,
  type OAuthClientPaging,
  type RequestLogEntry,
  realisticOrgSeed,
  SAMPLE_CLIENT_NAME,
  SAMPLE_ROLE,
} from '../../simulator';
import type { SimOAuthClient, SimOrg } from '../../simulator/state';
import { type Cell, timed, truncate, type Verdict } from './cells';
import { type Harness, type Lane, leftovers, type OrgUnderTest, PREFIX, type RunWrappers } from './harness';

/** What a real-org case expects of its run. */
type Expectation =
  /** The run fails with this error before writing anything to the org. */
  | { fails: string; nothingWritten: true }
  /** The run fails with this error and leaves nothing it added (compensation removed it). */
  | { fails: string; causeIncludes?: string; nothingLeft: true }
  /** The run succeeds with a consistent end state. */
  | { succeeds: true };

interface RealOrgCase {
  readonly name: string;
  /** The org as found (default: the realistic org, 31 clients over two pages, integrations of every kind). */
  readonly seed?: () => ReturnType<typeof realisticOrgSeed>;
  readonly request?: (org: OrgUnderTest) => Partial<OnboardingRequestInput>;
  readonly expect: Expectation;
  /** Knobs for this case only (the lane's simulator is the case's alone while it runs). */
  readonly knobs?: (org: OrgUnderTest) => Partial<Lane['simulator']['options']>;
  readonly wrappers?: (org: OrgUnderTest) => RunWrappers;
  readonly fault?: Parameters<Lane['simulator']['injectFault']>[0];
  /** What to do to the org and the store before the run (after seeding). */
  readonly before?: (org: OrgUnderTest, harness: Harness) => Promise<void>;
  /** Further checks on the request log and the org; problems in words. */
  readonly check?: (context: CaseContext) => string[];
}

interface CaseContext {
  readonly org: OrgUnderTest;
  readonly execution: LocalExecution;
  readonly requests: Lane['simulator']['requestLog'];
  readonly record: Record<string, string> | undefined;
}

const clientNamed = (org: SimOrg, name: string) =>
  [...org.clients.values()].find((c) => c.name === name && c.state !== 'deleted');

/**
 * Makes a seeded client look as if it was created just now: missing from the listing for the simulator's
 * listing lag and answering 404 by id for its read-after-create window (both at their defaults), as a client
 * the simulator had just created would.
 */
function justCreated(org: OrgUnderTest, name: string): SimOAuthClient {
  const client = clientNamed(org.state, name);
  if (!client) throw new Error(`no client ${name}`);
  const now = Date.now();
  client.dateCreated = new Date(now).toISOString();
  client.listedAt = now + KNOB_DEFAULTS.oauthClientListingLagMs;
  client.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
  return client;
}

/** The realistic org with one more client: ours (with the ownership marker), created last, so on page 2. */
function withOurClientOnPage2() {
  const seed = realisticOrgSeed();
  return {
    ...seed,
    oauthClients: [
      ...(seed.oauthClients ?? []),
      {
        name: SAMPLE_CLIENT_NAME,
        description: withMarker('Data Actions client'),
        roles: [SAMPLE_ROLE],
        dateCreated: '2026-11-20T09:00:00.000Z',
      },
    ],
  };
}

const pagingCase = (mode: OAuthClientPaging, expect: Expectation): RealOrgCase => ({
  name: `client listing paged (${mode}): our client on page 2, record lost`,
  seed: withOurClientOnPage2,
  knobs: () => ({ oauthClientPaging: mode }),
  expect,
  check: ({ org, requests, record }) => {
    if (!('succeeds' in expect)) return [];
    const ours = clientNamed(org.state, SAMPLE_CLIENT_NAME);
    return [
      ...(record?.clientId === ours?.id ? [] : ['the record does not name our client from page 2']),
      ...(requests.some((e) => e.method === 'POST' && e.route === '/api/v2/oauth/clients')
        ? ['a client was created']
        : []),
    ];
  },
});

/**
 * Before each by-id request of a resource the run created (client, integration, config, credential), makes
 * that resource unreadable for 150 ms once per method and path, so every by-id call first gets the
 * simulator's own `404 not.found` of the read-after-create window (genesys-cloud-api.md §14).
 */
function notFoundOnEveryByIdCall(org: OrgUnderTest): RunWrappers {
  const hit = new Set<string>();
  const patterns: Array<[RegExp, (id: string) => { readableAt: number } | undefined]> = [
    [/\/api\/v2\/oauth\/clients\/([^/]+)/, (id) => org.state.clients.get(id)],
    [/\/api\/v2\/integrations\/credentials\/([^/]+)/, (id) => org.state.credentials.get(id)],
    [/\/api\/v2\/integrations\/([^/]+)/, (id) => org.state.integrations.get(id)],
  ];
  return {
    fetch: (next) => async (input, init) => {
      const { pathname } = new URL(String(input));
      const key = `${init?.method ?? 'GET'} ${pathname}`;
      for (const [pattern, find] of patterns) {
        const id = pattern.exec(pathname)?.[1];
        const resource = id ? find(id) : undefined;
        if (id && resource && !hit.has(key) && !isSeeded(org, id)) {
          hit.add(key);
          resource.readableAt = Date.now() + 150;
          break;
        }
      }
      return next(input, init);
    },
  };
}

const isSeeded = (org: OrgUnderTest, id: string) =>
  org.before.clients.has(id) || org.before.integrations.has(id) || org.before.credentials.has(id);

/** Every by-id route that answered 404 and then, later, 2xx: the window was retried, never taken as "gone". */
function byIdNotFoundsRetried(requests: Lane['simulator']['requestLog']): string[] {
  const key = (e: RequestLogEntry) => `${e.method} ${e.path}`;
  const byId = requests.filter((e) => /\{(clientId|integrationId|credentialId)\}/.test(e.route ?? ''));
  // After a DELETE went through, a 404 is the resource gone, not a window; a scripted fault answers first.
  const deletedAt = (path: string) =>
    byId.find((e) => e.method === 'DELETE' && e.path === path && e.status < 300)?.time ??
    Number.POSITIVE_INFINITY;
  const inWindow = byId.filter((e) => !e.fault && e.time < deletedAt(e.path));
  const notFound = inWindow.filter((e) => e.status === 404);
  if (notFound.length === 0) return ['no by-id call got a 404'];
  const never = [...new Set(inWindow.map(key))].filter((call) => !notFound.some((e) => key(e) === call));
  const unresolved = notFound.filter(
    (e) => !byId.some((later) => later.time >= e.time && key(later) === key(e) && later.status < 400),
  );
  return [
    ...never.map((call) => `${call.replace(/\/[0-9a-f-]{36}/g, '/{id}')} got no 404 first`),
    ...unresolved.map((e) => `${e.method} ${e.route} was not tried again after its 404`),
  ];
}

const CASES: RealOrgCase[] = [
  {
    name: 'same-name client exists, not ours (no record, no marker)',
    seed: () => {
      const seed = realisticOrgSeed();
      return {
        ...seed,
        oauthClients: [
          ...(seed.oauthClients ?? []),
          { name: SAMPLE_CLIENT_NAME, description: 'Made by hand', roles: [SAMPLE_ROLE] },
        ],
      };
    },
    expect: { fails: 'Onboarding.NameTaken', nothingWritten: true },
  },
  {
    name: 'client named as the bootstrap client',
    request: () => ({ oauthClient: { name: 'onboarding-bootstrap', roles: [SAMPLE_ROLE] } }),
    expect: { fails: 'Onboarding.NameTaken', nothingWritten: true },
  },
  {
    name: 'same-name client disabled (by Genesys support)',
    request: () => ({ oauthClient: { name: 'wfm-export', roles: [SAMPLE_ROLE] } }),
    expect: { fails: 'Onboarding.ClientDisabled', nothingWritten: true },
  },
  {
    name: 'same-name client deleted, still listed (ignored)',
    expect: { succeeds: true },
    check: ({ org, requests }) => {
      const deleted = [...org.state.clients.values()].find(
        (c) => c.name === SAMPLE_CLIENT_NAME && c.state === 'deleted',
      );
      return deleted && requests.some((e) => e.path.includes(deleted.id))
        ? ['the deleted client was touched']
        : [];
    },
  },
  {
    name: 'same-name client inactive (ignored)',
    request: () => ({ oauthClient: { name: 'legacy-ivr-bridge', roles: [SAMPLE_ROLE] } }),
    expect: { succeeds: true },
    check: ({ org, requests }) => {
      const inactive = [...org.state.clients.values()].find(
        (c) => c.name === 'legacy-ivr-bridge' && org.before.clients.has(c.id),
      );
      return inactive && requests.some((e) => e.method !== 'GET' && e.path.includes(inactive.id))
        ? ['the inactive client was changed']
        : [];
    },
  },
  pagingCase('next-uri', { succeeds: true }),
  pagingCase('page-count', { succeeds: true }),
  pagingCase('single-page', { succeeds: true }),
  // Page 2 cannot be reached: the run must fail rather than conclude "absent" and create a second client.
  pagingCase('first-page-only', { fails: 'Genesys.Transient', nothingWritten: true }),
  {
    name: 'same-name integration configured by someone else',
    request: () => ({ integration: { name: 'CRM Data Actions' } }),
    expect: { fails: 'Onboarding.NameTaken', nothingWritten: true },
  },
  {
    name: 'same-name integration unconfigured (adopted)',
    request: () => ({ integration: { name: 'Data Actions' } }),
    expect: { succeeds: true },
    check: ({ requests }) =>
      requests.some((e) => e.method === 'POST' && e.route === '/api/v2/integrations')
        ? ['a second integration was created']
        : [],
  },
  {
    name: `listing lag at its default (${KNOB_DEFAULTS.oauthClientListingLagMs} ms): a crashed run's client, created moments ago, not listed yet`,
    seed: withOurClientOnPage2,
    before: async (org, harness) => {
      justCreated(org, SAMPLE_CLIENT_NAME);
      const intent: ClientCreationIntent = {
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: SAMPLE_CLIENT_NAME,
        creatingSince: new Date().toISOString(),
      };
      await harness.store.put({ name: resultSecretName(PREFIX, org.id), value: JSON.stringify(intent) });
    },
    expect: { succeeds: true },
    check: ({ org, requests, record }) => {
      const ours = clientNamed(org.state, SAMPLE_CLIENT_NAME);
      const listings = requests.filter((e) => e.method === 'GET' && e.route === '/api/v2/oauth/clients');
      return [
        ...((listings[0]?.time ?? Number.POSITIVE_INFINITY) < (ours?.listedAt ?? 0)
          ? []
          : ['the first listing came after the lag: it proves nothing']),
        ...(record?.clientId === ours?.id
          ? []
          : ['the record does not name the client the crashed run made']),
        ...(requests.some((e) => e.method === 'POST' && e.route === '/api/v2/oauth/clients')
          ? ['a second client was created']
          : []),
      ];
    },
  },
  {
    name: `404 window at its default (${KNOB_DEFAULTS.readAfterCreateNotFoundMs} ms): the record names a client created moments ago`,
    seed: withOurClientOnPage2,
    before: async (org, harness) => {
      const client = justCreated(org, SAMPLE_CLIENT_NAME);
      const record: ResultSecret = {
        clientId: client.id,
        clientSecret: client.secret,
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: SAMPLE_CLIENT_NAME,
        apiUrl: org.lane.simulator.url,
        loginUrl: org.lane.simulator.url,
      };
      await harness.store.put({ name: resultSecretName(PREFIX, org.id), value: JSON.stringify(record) });
    },
    expect: { succeeds: true },
    check: ({ org, requests, record }) => {
      const ours = clientNamed(org.state, SAMPLE_CLIENT_NAME);
      const byId = requests.filter((e) => e.method === 'GET' && ours && e.path.endsWith(ours.id));
      return [
        ...(byId[0]?.status === 404 ? [] : ['the recorded client was not read inside its 404 window']),
        ...(record?.clientId === ours?.id ? [] : ['the record no longer names the recorded client']),
        ...(requests.some((e) => e.method === 'POST' && e.route === '/api/v2/oauth/clients')
          ? ['a second client was created']
          : []),
      ];
    },
  },
  {
    name: 'read-after-create 404 on every by-id call',
    wrappers: notFoundOnEveryByIdCall,
    expect: { succeeds: true },
    check: ({ requests }) => byIdNotFoundsRetried(requests),
  },
  {
    name: "read-after-create 404 on every by-id call, then a permanent 400 (Verify's read): compensation deletes inside the window",
    wrappers: notFoundOnEveryByIdCall,
    fault: {
      method: 'GET',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 400 },
    },
    expect: { fails: 'Genesys.BadRequest', nothingLeft: true },
    check: ({ requests }) =>
      requests.some((e) => e.method === 'DELETE' && e.status === 404)
        ? byIdNotFoundsRetried(requests)
        : ['no delete got a 404'],
  },
  {
    name: 'integration activation ends in ERROR',
    knobs: () => ({
      activationError: { message: 'The Data Actions service rejected the credentials (reliability suite)' },
    }),
    expect: {
      fails: 'Onboarding.IntegrationError',
      causeIncludes: 'The Data Actions service rejected the credentials (reliability suite)',
      nothingLeft: true,
    },
  },
  {
    name: '409 general.conflict on the config PUT (an admin saved the config meanwhile)',
    wrappers: (org) => {
      let edited = false;
      return {
        fetch: (next) => async (input, init) => {
          const id = /\/api\/v2\/integrations\/([^/]+)\/config\/current$/.exec(
            new URL(String(input)).pathname,
          )?.[1];
          const integration = id ? org.state.integrations.get(id) : undefined;
          if (init?.method === 'PUT' && integration && !edited) {
            edited = true;
            integration.config.version++;
          }
          return next(input, init);
        },
      };
    },
    expect: { succeeds: true },
    check: ({ requests }) => {
      const puts = requests.filter((e) => e.method === 'PUT' && e.route?.endsWith('/config/current'));
      const conflict = puts.findIndex((e) => e.status === 409);
      if (conflict < 0) return ['no PUT got the 409'];
      return puts.slice(conflict + 1).some((e) => e.status < 300)
        ? []
        : ['the PUT was not made again after the 409'];
    },
  },
];

/**
 * The real-org cases: what a real org holds (realisticOrgSeed: 31 clients over two pages, clients disabled,
 * inactive and deleted, integrations configured by others, one in ERROR) and how it behaves (paging modes,
 * listing lag and 404 windows at their realistic defaults, activation errors, version conflicts). Each case
 * has its expected outcome: refused before any write, failed with nothing left, or a consistent success.
 */
export function realOrgCells(harness: Harness): Cell[] {
  return CASES.map(
    (spec): Cell => ({
      section: 'real_org',
      name: spec.name,
      run: (lane) => realOrgCell(harness, lane, spec),
    }),
  );
}

async function realOrgCell(harness: Harness, lane: Lane, spec: RealOrgCase): Promise<Verdict> {
  const org = await harness.newOrg(lane, `real org: ${spec.name}`, (spec.seed ?? realisticOrgSeed)());
  const request = harness.request(org, spec.request?.(org));
  await spec.before?.(org, harness);
  const knobs = spec.knobs?.(org) ?? {};
  const saved = { ...lane.simulator.options };
  Object.assign(lane.simulator.options, knobs);
  if (spec.fault) lane.simulator.injectFault(spec.fault);
  const since = lane.simulator.requestLog.length;
  const run = harness.run(org, { source: `real org: ${spec.name}`, request, wrappers: spec.wrappers?.(org) });
  const { value: execution, ms } = await timed(run).finally(() => {
    lane.simulator.options = saved;
    lane.simulator.faults.clear();
  });
  const requests = harness.requestsSince(lane, since);
  const state = await harness.endState(org, request);
  const record = await harness.resultSecret(org);
  const problems: string[] = [];
  const expect = spec.expect;
  let left: string[] = [];
  if ('succeeds' in expect) {
    if (execution.status !== 'SUCCEEDED')
      problems.push(
        `run ${execution.status} ${execution.error ?? ''}: ${truncate(execution.cause ?? '', 200)}`,
      );
    else problems.push(...state.problems);
  } else {
    if (execution.status !== 'FAILED' || execution.error !== expect.fails) {
      problems.push(`expected ${expect.fails}, got ${execution.status} ${execution.error ?? ''}`);
    }
    if ('nothingWritten' in expect) {
      const writes = harness.writesSince(org, since);
      if (writes.length) problems.push(`wrote ${writes.join(', ')}`);
      if (record) problems.push('a record was stored');
    } else {
      left = leftovers(state);
      problems.push(...left.map((what) => `left behind: ${what}`));
      if (expect.causeIncludes && !(execution.cause ?? '').includes(expect.causeIncludes)) {
        problems.push(
          `the cause does not carry "${expect.causeIncludes}": ${truncate(execution.cause ?? '')}`,
        );
      }
    }
  }
  problems.push(...(spec.check?.({ org, execution, requests, record }) ?? []));
  const outcome =
    'succeeds' in expect ? 'consistent' : 'nothingWritten' in expect ? 'nothing written' : 'nothing left';
  return {
    name: spec.name,
    ok: problems.length === 0,
    problems,
    detail: `${execution.status}${execution.error ? ` ${execution.error}` : ''}, ${problems.length ? problems.join('; ') : outcome} (${ms} ms)`,
    duplicates: state.duplicates,
    orphans: left.length,
  };
}
