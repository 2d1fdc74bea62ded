import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { DATA_ACTIONS_INTEGRATION_TYPE, OAUTH_CREDENTIAL_TYPE } from '../../lambdas/genesys/models';
import { stepHandler } from '../../lambdas/handlers/step-handler';
import type { ConsistencySettings } from '../../lambdas/shared/deps';
import { credentialFingerprint, credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { withMarker } from '../../lambdas/shared/ownership';
import { type OnboardingRequest, parseOnboardingRequest } from '../../lambdas/shared/request';
import { type ResultSecret, serializeResultSecret } from '../../lambdas/shared/secrets';
import { defineStep } from '../../lambdas/shared/step';
import type { RotationStep } from '../../lambdas/workflows/rotation/rotate';
import { type LocalRotationOptions, type RotationOutcome, rotateLocally } from '../../local/rotation';
import { KNOB_DEFAULTS, type RequestLogEntry, realisticOrgSeed } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import { newSecret, type OAuthClientSeed, type OrgSeed } from '../../simulator/state';
import { lambdaContext } from '../support/lambda';
import { sampleRequest } from '../support/requests';
import type { GenesysCall } from './faults';
import {
  type Harness,
  type Lane,
  type OrgUnderTest,
  PREFIX,
  type RunWrappers,
  SUITE_LISTING_GRACE_MS,
} from './harness';

/**
 * The eventual-consistency settings of the offboarding and rotation runs in the suite, scaled to the
 * simulators' windows as the product's defaults are to Genesys Cloud's: a 404 on a recorded or just-created id
 * is retried for 2.5 s (above the simulators' 1 s read-after-create window; the default is 15 s), the listing
 * grace is the suite's, a deleted resource is waited for up to 5 s, and a new client's token or an activation
 * is looked for every 50 ms for up to 5 s (the simulators make a new client usable after 20 ms and activate in
 * 10 ms; the defaults are 2 s and 60 s).
 */
export const LIFECYCLE_CONSISTENCY: Partial<ConsistencySettings> = {
  clientListingGraceMs: SUITE_LISTING_GRACE_MS,
  readAfterCreateMs: 2_500,
  goneTimeoutMs: 5_000,
  readinessPollMs: 50,
  readinessWaitMs: 5_000,
};

/** The request the org was onboarded with: the sample request (test/support/requests.ts), its defaults filled in. */
const ONBOARDED_WITH = parseOnboardingRequest(sampleRequest(), { secretPrefix: PREFIX });
/** Our client's and integration's names, as the onboarding request gave them. */
export const CLIENT_NAME = ONBOARDED_WITH.oauthClient.name;
export const INTEGRATION_NAME = ONBOARDED_WITH.integration.name;
/** Our client's description: the request's, with the ownership marker. */
export const CLIENT_DESCRIPTION = withMarker(ONBOARDED_WITH.oauthClient.description);

/** When an onboarded org's record was written: 40 days before the case (its ids long readable and listed). */
const ONBOARDED_DAYS_AGO = 40;

type ResourceKind = 'client' | 'integration' | 'credential';

/** An org under test, and what in it is not ours (must never be touched). */
export interface WatchedOrg {
  readonly org: OrgUnderTest;
  /** The org's result secret (the record). */
  readonly secretId: string;
  /**
   * Everything the org held that is not ours, as it was (JSON), by id: the bootstrap client, other teams'
   * clients, integrations and credentials, look-alikes of ours. Whatever is not here is ours.
   */
  readonly others: ReadonlyMap<string, { kind: ResourceKind; name: string; json: string }>;
}

/** An org as a finished onboarding left it: the ids and secret its record names. */
export interface OnboardedOrg extends WatchedOrg {
  /** The onboarding request the record names (`onboardedWith`). */
  readonly request: OnboardingRequest;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly integrationId: string;
  readonly credentialId: string;
}

/** The org with everything it holds now, but the ids in `ours`, as not ours. */
export function watched(org: OrgUnderTest, ours: ReadonlySet<string> = new Set()): WatchedOrg {
  const others = new Map<string, { kind: ResourceKind; name: string; json: string }>();
  for (const c of org.state.clients.values()) {
    if (!ours.has(c.id)) others.set(c.id, { kind: 'client', name: c.name, json: JSON.stringify(c) });
  }
  for (const i of org.state.integrations.values()) {
    if (!ours.has(i.id)) others.set(i.id, { kind: 'integration', name: i.name, json: JSON.stringify(i) });
  }
  for (const c of org.state.credentials.values()) {
    if (!ours.has(c.id))
      others.set(c.id, { kind: 'credential', name: c.name ?? c.id, json: JSON.stringify(c) });
  }
  return { org, secretId: resultSecretName(PREFIX, org.id), others };
}

/**
 * A new sample org onboarded by a real run of the onboarding state machine, its record read back: the
 * workflow under test starts the moment the onboarding ended (its ids inside the 404 and listing windows,
 * the bootstrap token cached as a warm function's would be).
 */
export async function onboardedByARun(harness: Harness, lane: Lane, name: string): Promise<OnboardedOrg> {
  const org = await harness.newOrg(lane, name);
  const notOurs = watched(org);
  const execution = await harness.run(org, { source: `${name} (onboarding)` });
  const record = await harness.resultSecret(org);
  if (execution.status !== 'SUCCEEDED' || !record?.integrationId || !record.credentialId) {
    throw new Error(`the onboarding failed: ${execution.error} ${execution.cause}`);
  }
  return {
    ...notOurs,
    request: parseOnboardingRequest(harness.request(org), { secretPrefix: PREFIX }),
    clientId: record.clientId as string,
    clientSecret: record.clientSecret as string,
    integrationId: record.integrationId,
    credentialId: record.credentialId,
  };
}

/** The shape of an onboarded org beyond the sample org and our three resources. */
export interface OnboardedShape {
  /** The realistic org (31 clients over two pages, integrations of every kind) rather than the sample org. */
  readonly realistic?: boolean;
  /** Clients that are not ours (never to be touched). */
  readonly clients?: OAuthClientSeed[];
  /** Integrations that are not ours. */
  readonly integrations?: OrgSeed['integrations'];
  /** Marked clients of our name that a stopped rotation left (ours). */
  readonly leftovers?: OAuthClientSeed[];
  /** Our client's creation date (its place in the listing). @default 40 days ago */
  readonly clientCreated?: string;
  /**
   * Our resources were made moments ago: the record written now, the client missing from the listing and our
   * ids answering 404 for the simulators' windows (at their realistic defaults), as after a fresh onboarding;
   * `credential`: only our credential (a repair run re-created it), its id answering 404 for the window.
   */
  readonly justCreated?: true | 'credential';
  /** No record stored (it was lost): only the ownership marker says what is ours. */
  readonly recordLost?: boolean;
}

/**
 * An org as a finished onboarding left it, seeded directly: our OAuth client (the request's name, roles and
 * description with the ownership marker), our integration (ENABLED, ACTIVE, its notes marked, configured with
 * our credential named `Integration-<id>` holding the client's id and secret), and the record in the result
 * secret, written 40 days ago; with the bootstrap secret stored. Seeding makes no Genesys call, so the run
 * under test starts as a cold function would, with no token cached. Every seeded secret is remembered for the
 * leak scan.
 */
export async function onboardedOrg(
  harness: Harness,
  lane: Lane,
  name: string,
  shape: OnboardedShape = {},
): Promise<OnboardedOrg> {
  const now = Date.now();
  const longAgo = new Date(now - ONBOARDED_DAYS_AGO * 86_400_000).toISOString();
  const clientId = randomUUID();
  const clientSecret = newSecret();
  const integrationId = randomUUID();
  const credentialId = randomUUID();
  const base = shape.realistic ? realisticOrgSeed() : sampleOrgSeed({ name });
  const leftovers = (shape.leftovers ?? []).map((client) => ({ ...client, id: client.id ?? randomUUID() }));
  const seed: Partial<OrgSeed> = {
    ...base,
    oauthClients: [
      ...(base.oauthClients ?? []),
      ...(shape.clients ?? []),
      ...leftovers,
      {
        id: clientId,
        name: CLIENT_NAME,
        description: CLIENT_DESCRIPTION,
        roles: ONBOARDED_WITH.oauthClient.roles,
        secret: clientSecret,
        dateCreated: shape.clientCreated ?? longAgo,
      },
    ],
    integrations: [
      ...(base.integrations ?? []),
      ...(shape.integrations ?? []),
      {
        id: integrationId,
        name: INTEGRATION_NAME,
        type: DATA_ACTIONS_INTEGRATION_TYPE,
        notes: withMarker(''),
        intendedState: 'ENABLED',
        credential: {
          id: credentialId,
          name: credentialName(integrationId),
          type: OAUTH_CREDENTIAL_TYPE,
          fields: { clientId, clientSecret },
        },
      },
    ],
  };
  const org = await harness.newOrg(lane, name, seed);
  const request = parseOnboardingRequest(harness.request(org), { secretPrefix: PREFIX });
  harness.remember(clientSecret, 'OAuth client secret (seeded as onboarded)', [clientId]);
  for (const client of org.state.clients.values()) {
    harness.remember(client.secret, 'OAuth client secret (seeded)', [client.id]);
  }
  const credential = org.state.credentials.get(credentialId);
  if (shape.justCreated === 'credential' && credential) {
    credential.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
  } else if (shape.justCreated) {
    const client = org.state.clients.get(clientId);
    const integration = org.state.integrations.get(integrationId);
    if (client) {
      client.dateCreated = new Date(now).toISOString();
      client.listedAt = now + KNOB_DEFAULTS.oauthClientListingLagMs;
      client.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
    }
    if (integration) integration.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
    if (credential) credential.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
  }
  if (!shape.recordLost) {
    const url = lane.simulator.url;
    const record: ResultSecret = {
      clientId,
      clientSecret,
      orgId: org.id,
      region: request.region,
      oauthClientName: CLIENT_NAME,
      apiUrl: url,
      loginUrl: url,
      recordedAt: shape.justCreated ? new Date(now).toISOString() : longAgo,
      integrationId,
      credentialId,
      credentialFingerprint: credentialFingerprint(clientId, clientSecret),
      onboardedWith: request,
    };
    await harness.store.put({ name: resultSecretName(PREFIX, org.id), value: serializeResultSecret(record) });
  }
  const ours = new Set([clientId, integrationId, credentialId, ...leftovers.map((c) => c.id)]);
  return { ...watched(org, ours), request, clientId, clientSecret, integrationId, credentialId };
}

/**
 * What the case did to resources that are not ours, in words (`[]` when nothing): any write request to one
 * of them since `since` (an index into the lane's request log), any change of its state (a lingering deleted
 * client purged on time is not one).
 */
export function othersTouched(o: WatchedOrg, since: number): string[] {
  const { state, lane } = o.org;
  const problems: string[] = [];
  const current = (kind: ResourceKind, id: string) =>
    kind === 'client'
      ? state.clients.get(id)
      : kind === 'integration'
        ? state.integrations.get(id)
        : state.credentials.get(id);
  for (const [id, { kind, name, json }] of o.others) {
    const now = current(kind, id);
    if (!now) {
      if (!(kind === 'client' && (JSON.parse(json) as { state: string }).state === 'deleted'))
        problems.push(`${kind} ${name} (not ours) is gone`);
    } else if (JSON.stringify(now) !== json) problems.push(`${kind} ${name} (not ours) was changed`);
  }
  for (const entry of lane.simulator.requestLog.slice(since)) {
    if (entry.orgId !== o.org.id || entry.method === 'GET' || entry.path === '/oauth/token') continue;
    const id = entry.path.split('/').find((segment) => o.others.has(segment));
    const other = id ? o.others.get(id) : undefined;
    if (other) problems.push(`${entry.method} ${entry.route} on ${other.kind} ${other.name} (not ours)`);
  }
  return [...new Set(problems)];
}

/** One of our resources still in the org (DescribeLeftovers' words: `OAuth client <id> (<state>)`). */
export interface Leftover {
  readonly kind: 'OAuth client' | 'integration' | 'credential' | 'secret';
  readonly id: string;
  readonly text: string;
}

/**
 * What of ours is still in the org, from the simulator's state and the store: clients that are not deleted
 * (the bootstrap client is never ours), integrations, credentials, the result secret (with a pending version,
 * if any: it goes with the secret).
 */
export async function oursLeft(harness: Harness, o: WatchedOrg): Promise<Leftover[]> {
  const { state, seeded } = o.org;
  const left: Leftover[] = [];
  for (const c of state.clients.values()) {
    if (!o.others.has(c.id) && c.id !== seeded.bootstrap.clientId && c.state !== 'deleted')
      left.push({ kind: 'OAuth client', id: c.id, text: `OAuth client ${c.id} (${c.state})` });
  }
  for (const id of state.integrations.keys()) {
    if (!o.others.has(id)) left.push({ kind: 'integration', id, text: `integration ${id}` });
  }
  for (const id of state.credentials.keys()) {
    if (!o.others.has(id)) left.push({ kind: 'credential', id, text: `credential ${id}` });
  }
  const pending = await harness.store.get(o.secretId, { stage: 'AWSPENDING' });
  if (await harness.store.get(o.secretId)) {
    left.push({
      kind: 'secret',
      id: o.secretId,
      text: `secret ${o.secretId}${pending ? ' (with a pending version)' : ''}`,
    });
  }
  return left;
}

/**
 * The status the token endpoint answers a client-credentials grant with this id and secret (a real request,
 * not the product's cached token), on the lane's simulator, sent as a client of the functions (untraced);
 * the token it gets is remembered for the leak scan.
 */
export function tokenStatus(harness: Harness, lane: Lane, clientId: string, secret: string): Promise<number> {
  return harness.runtime.untraced(async () => {
    const response = await harness.recordingFetch(`${lane.simulator.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    await response.text();
    return response.status;
  });
}

/** The credential the integration is configured with now, and the client id and secret it holds. */
export function configuredCredential(o: OnboardedOrg): {
  id?: string;
  clientId: string;
  clientSecret: string;
} {
  const integration = o.org.state.integrations.get(o.integrationId);
  const id = integration?.config.credentials[OAUTH_CREDENTIAL_TYPE]?.id;
  const credential = id ? o.org.state.credentials.get(id) : undefined;
  return {
    ...(id ? { id } : {}),
    clientId: credential?.fields.clientId ?? '',
    clientSecret: credential?.fields.clientSecret ?? '',
  };
}

/** Wrappers applied in order: each one's fetch, factory and store wrap the ones before (the last is outermost). */
export function combine(...wrappers: Array<RunWrappers | undefined>): RunWrappers {
  const all = wrappers.filter((w): w is RunWrappers => w !== undefined);
  return {
    fetch: (fetch) => all.reduce((f, w) => w.fetch?.(f) ?? f, fetch),
    genesys: (factory) => all.reduce((g, w) => w.genesys?.(g) ?? g, factory),
    store: (store) => all.reduce((s, w) => w.store?.(s) ?? s, store),
  };
}

/** The Genesys calls a run made, with the step that made each, from a fetch that saw them go. */
export class CallRecorder {
  private readonly sent: Array<{ step: string; method: string; pathname: string; status: number }> = [];

  constructor(private readonly currentStep: () => string | undefined) {}

  readonly wrappers: RunWrappers = {
    fetch: (next) => async (input, init) => {
      const step = this.currentStep();
      const response = await next(input, init);
      if (step) {
        const pathname = new URL(String(input)).pathname;
        this.sent.push({ step, method: init?.method ?? 'GET', pathname, status: response.status });
      }
      return response;
    },
  };

  /**
   * Each route the run called, once per step (its first request there), as a fault finds it; the routes come
   * from the simulator's log of the org. The token endpoint is named after the client it was for: the
   * bootstrap client until a step has got a token for another.
   */
  calls(log: RequestLogEntry[]): GenesysCall[] {
    const routes = new Map(log.map((e) => [`${e.method} ${e.path}`, e.route ?? e.path]));
    const seen = new Set<string>();
    const calls: GenesysCall[] = [];
    let tokens = 0;
    for (const { step, method, pathname, status } of this.sent) {
      const route = routes.get(`${method} ${pathname}`) ?? pathname;
      const key = `${step} ${method} ${route}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const who = route === '/oauth/token' ? (tokens++ === 0 ? ' (bootstrap client)' : ' (new client)') : '';
      calls.push({
        step,
        method,
        route,
        after: 0,
        ...(status === 404 ? { answered: 404 } : {}),
        label: `${step}: ${method} ${route}${who}`,
      });
    }
    return calls;
  }
}

/** Where a rotation is: the step running now (undefined between steps, and in the runner's own reads). */
export interface RotationTracker {
  step?: RotationStep;
}

/** One attempt of a rotation, as Secrets Manager invokes the function's four steps for one version. */
export interface RotationAttempt {
  readonly outcome?: RotationOutcome;
  readonly error?: Error;
}

export interface RotateOptions {
  /** What produced the attempt, for the report and the leak scan. */
  readonly source: string;
  /** The version rotated in (Secrets Manager retries a rotation with the same token). */
  readonly token: string;
  readonly wrappers?: RunWrappers;
  readonly tracker?: RotationTracker;
  /** Called after each step: a crash throws here (the next step never runs). */
  readonly afterStep?: (step: RotationStep) => void;
}

/**
 * One attempt of a rotation of the org's result secret (local/rotation.ts `rotateLocally`, the deployed
 * steps in-process, with the suite's consistency settings) as one traced invocation of a function. What each step returned,
 * the outcome and the error (name and message, what the function's failure shows) are kept for the leak scan.
 */
export async function rotateOnce(
  harness: Harness,
  o: WatchedOrg,
  options: RotateOptions,
): Promise<RotationAttempt> {
  const tracker = options.tracker ?? {};
  const deps = harness.deps({ wrappers: options.wrappers, consistency: LIFECYCLE_CONSISTENCY });
  const hooks: LocalRotationOptions = {
    token: options.token,
    beforeStep: (step) => {
      tracker.step = step;
    },
    afterStep: (step, result) => {
      tracker.step = undefined;
      harness.output('history', `${options.source}: ${step}`, JSON.stringify(result));
      options.afterStep?.(step);
    },
  };
  // One invocation of a handler built as the deployed rotation function's (stepHandler: Powertools logger,
  // metrics and tracer around the core), whose core is the local runner: the attempt is traced and logs as a
  // function does.
  const attempt = defineStep({
    name: 'rotation/local',
    input: z.object({ secretId: z.string() }),
    run: (event, stepDeps) => rotateLocally(event.secretId, stepDeps, hooks),
  });
  const handler = stepHandler(attempt, () => deps);
  try {
    const outcome = await harness.runtime.invoke('rotate-secret', () =>
      handler({ secretId: o.secretId }, lambdaContext),
    );
    harness.output('history', options.source, JSON.stringify(outcome));
    return { outcome };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    harness.output('history', options.source, JSON.stringify({ error: error.name, message: error.message }));
    return { error };
  } finally {
    tracker.step = undefined;
  }
}
