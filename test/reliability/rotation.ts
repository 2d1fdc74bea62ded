import { randomUUID } from 'node:crypto';
import { DEFAULT_CONSISTENCY } from '../../lambdas/shared/deps';
import { isMarked } from '../../lambdas/shared/ownership';
import type { RotationStep } from '../../lambdas/workflows/rotation/rotate';
import { KNOB_DEFAULTS, type OAuthClientPaging, type RequestLogEntry, SAMPLE_ROLE } from '../../simulator';
import type { SimulatorKnobs } from '../../simulator/options';
import { storeWith } from '../support/stores';
import { type Cell, timed, truncate, type Verdict, type WorkflowCases } from './cells';
import { type FaultKind, firing, GENESYS_FAULT_KINDS, type GenesysCall } from './faults';
import type { Harness, Lane, RunWrappers } from './harness';
import {
  CallRecorder,
  CLIENT_DESCRIPTION,
  CLIENT_NAME,
  combine,
  configuredCredential,
  type OnboardedOrg,
  type OnboardedShape,
  onboardedByARun,
  onboardedOrg,
  othersTouched,
  type RotationAttempt,
  type RotationTracker,
  rotateOnce,
  tokenStatus,
} from './lifecycle';
import {
  firedAndRetried,
  RecordingStore,
  type StoreCall,
  type StoreFaultKind,
  storeCallLabel,
} from './store-faults';

/** Every rotation cell's name starts with this: names are unique across workflows. */
const named = (text: string) => `rotation: ${text}`;

/**
 * How many times a rotation is attempted with one token: Secrets Manager "retries the entire rotation process
 * multiple times" when a step fails (Secrets Manager User Guide, "Rotation by Lambda function"); the suite
 * allows two retries, made at once (the worst case for listings that lag).
 */
const ATTEMPTS = 3;

/**
 * Zero downtime, watched: after every call of the rotation that changes something in Genesys (answered or
 * not), a token request with the credential the integration is configured with at that moment; the
 * integration's reported state is noted with it. Its own requests are left out of the faults' evidence.
 */
class CredentialWatcher {
  readonly seen: Array<{ after: string; status: number; reported: string }> = [];
  private readonly own = new Set<RequestLogEntry>();

  constructor(
    private readonly harness: Harness,
    private readonly o: OnboardedOrg,
  ) {}

  /** Whether a logged request is the watcher's. */
  readonly ignore = (entry: RequestLogEntry): boolean => this.own.has(entry);

  /** Gets a token with the configured credential now; `after` says what just happened. */
  async check(after: string): Promise<void> {
    const { lane, state } = this.o.org;
    const { id, clientId, clientSecret } = configuredCredential(this.o);
    const from = lane.simulator.requestLog.length;
    const status = id ? await tokenStatus(this.harness, lane, clientId, clientSecret) : 0;
    for (const entry of lane.simulator.requestLog.slice(from)) this.own.add(entry);
    const reported = state.integrations.get(this.o.integrationId)?.reportedState.code ?? 'missing';
    this.seen.push({ after, status, reported });
  }

  readonly wrappers: RunWrappers = {
    fetch: (next) => async (input, init) => {
      const method = init?.method ?? 'GET';
      const { pathname } = new URL(String(input));
      if (method === 'GET' || pathname === '/oauth/token') return next(input, init);
      try {
        return await next(input, init);
      } finally {
        await this.check(`${method} ${pathname.replace(/[0-9a-f-]{36}/g, '{id}')}`);
      }
    },
  };

  /** Every moment the configured credential got no token, in words. */
  problems(): string[] {
    return this.seen
      .filter((s) => s.status !== 200)
      .map((s) => `the integration's credential got ${s.status || 'no credential'} after ${s.after}`);
  }
}

const attemptText = (attempt: RotationAttempt) =>
  attempt.error ? `${attempt.error.name}: ${truncate(attempt.error.message, 200)}` : 'done';

/**
 * A finished rotation's end: one client of ours (active, marked, the onboarded one's name) and it is the
 * recorded one, the record's secret its current one; one credential of ours, the recorded one, holding that
 * client's id and secret, the one the integration is configured with; the integration ENABLED and ACTIVE; no
 * pending version; the onboarded client's secret gets no token; the configured credential got a token
 * throughout; nothing that is not ours touched.
 */
async function rotatedCleanly(
  harness: Harness,
  o: OnboardedOrg,
  watcher: CredentialWatcher,
  since: number,
): Promise<string[]> {
  const { state, seeded, lane } = o.org;
  const record = await harness.resultSecret(o.org);
  if (!record) return ['no record', ...watcher.problems(), ...othersTouched(o, since)];
  const problems: string[] = [];
  const ours = [...state.clients.values()].filter(
    (c) => !o.others.has(c.id) && c.id !== seeded.bootstrap.clientId && c.state !== 'deleted',
  );
  if (ours.length !== 1 || ours[0]?.id !== record.clientId) {
    const which = ours.map((c) => `${c.id === record.clientId ? 'the recorded one' : c.id} (${c.state})`);
    problems.push(`clients of ours: ${which.join(', ') || 'none'}; expected the recorded one alone`);
  }
  const client = state.clients.get(record.clientId ?? '');
  if (client?.state !== 'active') problems.push(`the recorded client is ${client?.state ?? 'missing'}`);
  if (client && client.name !== CLIENT_NAME) problems.push(`the recorded client is named ${client.name}`);
  if (client && !isMarked(client.description)) problems.push('the recorded client is not marked as ours');
  if (client && client.secret !== record.clientSecret)
    problems.push("the record's secret is not the client's current secret");
  const credentials = [...state.credentials.values()].filter((c) => !o.others.has(c.id));
  if (credentials.length !== 1 || credentials[0]?.id !== record.credentialId)
    problems.push(`${credentials.length} credentials of ours; expected the recorded one alone`);
  const credential = state.credentials.get(record.credentialId ?? '');
  if (
    credential &&
    (credential.fields.clientId !== client?.id || credential.fields.clientSecret !== client.secret)
  )
    problems.push("the recorded credential does not hold the recorded client's id and secret");
  if (configuredCredential(o).id !== record.credentialId)
    problems.push('the integration is not configured with the recorded credential');
  const integration = state.integrations.get(o.integrationId);
  if (record.integrationId !== o.integrationId) problems.push('the record names another integration');
  if (integration?.intendedState !== 'ENABLED' || integration.reportedState.code !== 'ACTIVE')
    problems.push(
      `the integration is ${integration?.intendedState ?? 'missing'}, ${integration?.reportedState.code ?? ''}`,
    );
  const versions = Object.values((await harness.store.describe(o.secretId))?.versions ?? {});
  if (versions.some((stages) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')))
    problems.push('a pending version is left');
  if ((await tokenStatus(harness, lane, o.clientId, o.clientSecret)) === 200)
    problems.push("the onboarded client's secret still gets a token");
  return [...problems, ...watcher.problems(), ...othersTouched(o, since)];
}

/** Clients and credentials of ours beyond the one of each a finished rotation leaves. */
function duplicatesOf(o: OnboardedOrg): number {
  const { state, seeded } = o.org;
  const clients = [...state.clients.values()].filter(
    (c) => !o.others.has(c.id) && c.id !== seeded.bootstrap.clientId && c.state !== 'deleted',
  ).length;
  const credentials = [...state.credentials.keys()].filter((id) => !o.others.has(id)).length;
  return Math.max(0, clients - 1) + Math.max(0, credentials - 1);
}

/**
 * The rotation attempted again with the same token, as Secrets Manager retries it, until it is done (at most
 * ATTEMPTS in all). After an attempt that stopped before storing the pending version, the retry comes once
 * the client listing shows the clients it made: when Secrets Manager retries is not documented, and a retry
 * inside the listing lag is a real-org case of its own.
 */
async function untilDone(
  harness: Harness,
  o: OnboardedOrg,
  first: RotationAttempt,
  retry: { source: string; token: string; wrappers: RunWrappers; tracker: RotationTracker },
): Promise<RotationAttempt[]> {
  const attempts = [first];
  while (attempts.length < ATTEMPTS && attempts[attempts.length - 1]?.error) {
    const pending = await harness.store.get(o.secretId, { stage: 'AWSPENDING' });
    const listed = Math.max(0, ...[...o.org.state.clients.values()].map((c) => c.listedAt));
    if (!pending && listed > Date.now())
      await new Promise((resolve) => setTimeout(resolve, listed - Date.now()));
    attempts.push(
      await rotateOnce(harness, o, { ...retry, source: `${retry.source} (attempt ${attempts.length + 1})` }),
    );
  }
  return attempts;
}

const lastOf = (attempts: RotationAttempt[]) => attempts[attempts.length - 1] as RotationAttempt;

/** The Genesys calls of a rotation of an onboarded org, each route once per step. */
async function rotationCalls(harness: Harness, lane: Lane): Promise<GenesysCall[]> {
  const o = await onboardedOrg(harness, lane, 'probe: rotation Genesys calls');
  const tracker: RotationTracker = {};
  const recorder = new CallRecorder(() => tracker.step);
  const since = lane.simulator.requestLog.length;
  const attempt = await rotateOnce(harness, o, {
    source: 'probe: rotation Genesys calls',
    token: randomUUID(),
    wrappers: recorder.wrappers,
    tracker,
  });
  if (attempt.error) throw new Error(`the rotation probe failed: ${attemptText(attempt)}`);
  return recorder.calls(
    harness.requestsSince(lane, since).filter((e) => e.orgId === o.org.id || e.path === '/oauth/token'),
  );
}

/**
 * Every call of a rotation × every Genesys fault, each on an org onboarded 40 days before. The integration's
 * configured credential must get a token after every change (zero downtime). A transient fault must be
 * survived (within the attempts Secrets Manager makes) and leave the clean end state; a permanent 400 must
 * fail the attempt naming the call, the integration working, and the next attempt must finish cleanly. Each
 * cell shows its fault fired and had its effect (as the onboarding's).
 */
function genesysFaultCells(harness: Harness, calls: GenesysCall[]): Cell[] {
  return calls.flatMap((call) =>
    GENESYS_FAULT_KINDS.map(
      (kind): Cell => ({
        section: 'faults',
        name: named(`${call.label} — ${kind.name}`),
        run: (lane) => genesysFaultCell(harness, lane, call, kind),
      }),
    ),
  );
}

async function genesysFaultCell(
  harness: Harness,
  lane: Lane,
  call: GenesysCall,
  kind: FaultKind,
): Promise<Verdict> {
  const name = named(`${call.label} — ${kind.name}`);
  const o = await onboardedOrg(harness, lane, name);
  const watcher = new CredentialWatcher(harness, o);
  await watcher.check('before the rotation');
  const since = lane.simulator.requestLog.length;
  const tracker: RotationTracker = {};
  const fault = firing(lane, call, kind, {
    currentStep: () => tracker.step,
    ignore: watcher.ignore,
    persistent: true,
  });
  const token = randomUUID();
  const source = `rotation faults: ${name}`;
  const { value: first, ms } = await timed(
    rotateOnce(harness, o, { source, token, tracker, wrappers: combine(fault.wrappers, watcher.wrappers) }),
  );
  const problems: string[] = [];
  let attempts = [first];
  if (kind.permanent) {
    if (!first.error) problems.push('the attempt did not fail');
    else if (first.error.name !== 'Genesys.BadRequest')
      problems.push(`the attempt failed with ${attemptText(first)}`);
    lane.simulator.faults.clear();
    attempts = await untilDone(harness, o, first, { source, token, tracker, wrappers: watcher.wrappers });
  } else {
    attempts = await untilDone(harness, o, first, {
      source,
      token,
      tracker,
      wrappers: combine(fault.wrappers, watcher.wrappers),
    });
  }
  const { entry, problem } = fault.evidence({ cause: first.error?.message });
  if (problem) problems.unshift(problem);
  const last = lastOf(attempts);
  if (last.error) problems.push(`every attempt failed; the last: ${attemptText(last)}`);
  await watcher.check('after the rotation');
  problems.push(...(await rotatedCleanly(harness, o, watcher, since)));
  const fired = entry ? `fired (${entry.status === 0 ? 'reset' : entry.status}), ` : '';
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${attempts.length} attempt(s)${first.error ? ` (first: ${first.error.name})` : ''}, ${fired}${problems.length ? problems.join('; ') : 'rotated cleanly, the credential worked throughout'} (${ms} ms)`,
    duplicates: duplicatesOf(o),
  };
}

/** The store calls of a rotation's four steps: each step's first call of each operation on each secret. */
async function rotationStoreCalls(harness: Harness, lane: Lane): Promise<StoreCall[]> {
  const o = await onboardedOrg(harness, lane, 'probe: rotation store calls');
  const tracker: RotationTracker = {};
  const recorder = new RecordingStore(undefined, {
    currentStep: () => tracker.step,
    pendingReadsApart: true,
  });
  const attempt = await rotateOnce(harness, o, {
    source: 'probe: rotation store calls',
    token: randomUUID(),
    tracker,
    wrappers: { store: (store) => recorder.wrap(store) },
  });
  if (attempt.error) throw new Error(`the rotation probe failed: ${attemptText(attempt)}`);
  const seen = new Set<string>();
  return recorder.calls.filter((call) => {
    const key = storeCallLabel({ ...call, nth: 1 });
    if (call.step === 'outside a step' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The secret store fails (throttled; AccessDenied) at each call of the four steps: the attempt may fail (with
 * the store's error), the integration must keep working, and the rotation must finish cleanly within the
 * attempts Secrets Manager makes (an AccessDenied once access is back), the failed call made again.
 */
function storeFaultCells(harness: Harness, calls: StoreCall[]): Cell[] {
  const kinds: StoreFaultKind[] = ['transient', 'permanent'];
  return calls.flatMap((call) =>
    kinds.map(
      (kind): Cell => ({
        section: 'store_faults',
        name: named(`${storeCallLabel(call)} — ${kind}`),
        run: (lane) => storeFaultCell(harness, lane, call, kind),
      }),
    ),
  );
}

async function storeFaultCell(
  harness: Harness,
  lane: Lane,
  call: StoreCall,
  kind: StoreFaultKind,
): Promise<Verdict> {
  const name = named(`${storeCallLabel(call)} — ${kind}`);
  const o = await onboardedOrg(harness, lane, name);
  const watcher = new CredentialWatcher(harness, o);
  await watcher.check('before the rotation');
  const since = lane.simulator.requestLog.length;
  const tracker: RotationTracker = {};
  const recorder = new RecordingStore(
    { call, kind },
    { currentStep: () => tracker.step, pendingReadsApart: true },
  );
  const wrappers = combine({ store: (store) => recorder.wrap(store) }, watcher.wrappers);
  const token = randomUUID();
  const source = `rotation store faults: ${name}`;
  const { value: first, ms } = await timed(rotateOnce(harness, o, { source, token, tracker, wrappers }));
  const attempts = await untilDone(harness, o, first, { source, token, tracker, wrappers });
  const problems = firedAndRetried(recorder, 'transient');
  if (kind === 'permanent' && first.error?.name !== 'AccessDeniedException')
    problems.push(
      `the first attempt ${first.error ? `failed with ${attemptText(first)}` : 'did not fail'}, not with the store's AccessDeniedException`,
    );
  const last = lastOf(attempts);
  if (last.error) problems.push(`every attempt failed; the last: ${attemptText(last)}`);
  await watcher.check('after the rotation');
  problems.push(...(await rotatedCleanly(harness, o, watcher, since)));
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${attempts.length} attempt(s)${first.error ? ` (first: ${first.error.name})` : ''}, ${problems.length ? problems.join('; ') : 'fired, made again, rotated cleanly, the credential worked throughout'} (${ms} ms)`,
    duplicates: duplicatesOf(o),
  };
}

interface CrashPoint {
  readonly name: string;
  /** The attempt stops after this step returned (Secrets Manager never invokes the next). */
  readonly afterStep?: RotationStep;
  /** The function dies once this request has been answered. */
  readonly fetch?: { method: string; path: RegExp };
  /** The function dies once AWSCURRENT has moved. */
  readonly afterPromote?: true;
}

const CRASH_POINTS: CrashPoint[] = [
  ...(['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const).map((step) => ({
    name: `after ${step}`,
    afterStep: step,
  })),
  { name: 'after the new client was created', fetch: { method: 'POST', path: /\/api\/v2\/oauth\/clients$/ } },
  {
    name: 'after the new credential was created',
    fetch: { method: 'POST', path: /\/api\/v2\/integrations\/credentials$/ },
  },
  {
    name: 'after the config PUT, before the PATCH',
    fetch: { method: 'PUT', path: /\/api\/v2\/integrations\/[^/]+\/config\/current$/ },
  },
  { name: 'after AWSCURRENT moved, before the removals', afterPromote: true },
  {
    name: "after the previous credential's DELETE",
    fetch: { method: 'DELETE', path: /\/api\/v2\/integrations\/credentials\/[^/]+$/ },
  },
  {
    name: 'after the previous client was made inactive',
    fetch: { method: 'PUT', path: /\/api\/v2\/oauth\/clients\/[^/]+$/ },
  },
];

/** Never settles: the crashed function runs no further line, not even a catch or finally. */
const forever = () => new Promise<never>(() => undefined);

/**
 * The rotation stops at a point (after a step, or inside one right after a request was answered or AWSCURRENT
 * moved: no error handling runs); the integration must keep working, and the rotation attempted again with
 * the same token (as Secrets Manager retries it) must finish cleanly.
 */
function crashCells(harness: Harness): Cell[] {
  return CRASH_POINTS.map(
    (point): Cell => ({
      section: 'crashes',
      name: named(point.name),
      run: (lane) => crashCell(harness, lane, point),
    }),
  );
}

async function crashCell(harness: Harness, lane: Lane, point: CrashPoint): Promise<Verdict> {
  const name = named(point.name);
  const o = await onboardedOrg(harness, lane, name);
  const watcher = new CredentialWatcher(harness, o);
  await watcher.check('before the rotation');
  const since = lane.simulator.requestLog.length;
  const tracker: RotationTracker = {};
  const token = randomUUID();
  let crashed = false;
  let onCrash: () => void = () => undefined;
  const died = new Promise<RotationAttempt>((resolve) => {
    onCrash = () => resolve({ error: new Error(`died: ${point.name}`) });
  });
  const die = () => {
    crashed = true;
    onCrash();
    return forever();
  };
  const stop = new Error(`stopped: ${point.name}`);
  const crashing: RunWrappers = {
    fetch: (next) => async (input, init) => {
      if (crashed) return forever();
      const response = await next(input, init);
      const spec = point.fetch;
      const matches =
        spec && (init?.method ?? 'GET') === spec.method && spec.path.test(new URL(String(input)).pathname);
      return matches ? die() : response;
    },
    store: (store) =>
      storeWith(store, {
        promote: async (id, versionId) => {
          if (crashed) return forever();
          await store.promote(id, versionId);
          if (point.afterPromote) return die();
        },
      }),
  };
  const source = `rotation crash points: ${point.name}`;
  const { value: first, ms } = await timed(
    Promise.race([
      rotateOnce(harness, o, {
        source,
        token,
        tracker,
        wrappers: combine(crashing, watcher.wrappers),
        afterStep: (step) => {
          if (step === point.afterStep) {
            crashed = true;
            throw stop;
          }
        },
      }),
      died,
    ]),
  );
  await watcher.check('after the crash');
  const attempts = await untilDone(harness, o, first, { source, token, tracker, wrappers: watcher.wrappers });
  const last = lastOf(attempts);
  await watcher.check('after the rotation');
  const problems = [
    ...(crashed ? [] : ['the crash point was never reached']),
    ...(last.error ? [`every attempt failed; the last: ${attemptText(last)}`] : []),
    ...(await rotatedCleanly(harness, o, watcher, since)),
  ];
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `crash ${crashed ? 'hit' : 'missed'} (${ms} ms), ${attempts.length - 1} more attempt(s): ${problems.length ? problems.join('; ') : 'rotated cleanly, the credential worked throughout'}`,
    duplicates: duplicatesOf(o),
  };
}

/** What a real-org case expects. */
type Expectation =
  /** The rotation finishes cleanly (within Secrets Manager's attempts). */
  | { rotates: true }
  /** Every attempt fails with this error, the org and the record as they were (the integration working). */
  | { failsEveryAttempt: string; causeIncludes?: string };

interface RealOrgCase {
  readonly name: string;
  /** The org (default: the sample org onboarded 40 days before, with `shape`). */
  readonly org?: (harness: Harness, lane: Lane, name: string) => Promise<OnboardedOrg>;
  readonly shape?: OnboardedShape;
  /** Knobs for this case only (the lane's simulator is the case's alone while it runs). */
  readonly knobs?: Partial<SimulatorKnobs>;
  readonly expect: Expectation;
  /** How many rotations, one after the other (each with its own token). @default 1 */
  readonly rotations?: number;
  /** The case's own checks (its preconditions too: a case that proves nothing fails); problems in words. */
  readonly check?: (o: OnboardedOrg, watcher: CredentialWatcher) => string[];
}

/** A marked client of our name that a stopped rotation attempt left, created on 2026-11-20 (page 2). */
const LEFTOVER = {
  name: CLIENT_NAME,
  description: CLIENT_DESCRIPTION,
  roles: [SAMPLE_ROLE],
  dateCreated: '2026-11-20T09:00:00.000Z',
};

/** The leftover of a stopped attempt is on page 2 of the listing (page size 25): else the case proves nothing. */
function leftoverOnPage2(o: OnboardedOrg): string[] {
  const listed = [...o.org.state.clients.values()].sort(
    (a, b) => a.dateCreated.localeCompare(b.dateCreated) || a.id.localeCompare(b.id),
  );
  const at = listed.findIndex((c) => c.dateCreated === LEFTOVER.dateCreated);
  return at >= KNOB_DEFAULTS.oauthClientPageSize
    ? []
    : [`the leftover is at ${at + 1} of the listing, not on page 2`];
}

/**
 * How long a stopped attempt's client stays out of the listing in the listing-lag case: longer than the
 * simulators' 2 s so that the whole rotation runs inside it however loaded the machine is, and well within the
 * 60 s the product allows for (`clientListingGraceMs`: Genesys Cloud's lag is not documented).
 */
const LEFTOVER_LAG_MS = 10_000;

const pagingCase = (mode: OAuthClientPaging, expect: Expectation): RealOrgCase => ({
  name: `client listing paged (${mode}): a stopped attempt's client on page 2`,
  shape: { realistic: true, leftovers: [LEFTOVER] },
  knobs: { oauthClientPaging: mode },
  expect,
  check: (o) => leftoverOnPage2(o),
});

/** The real-org case that catches a previous client removed too early (plants.ts `previous-client-removed-early`). */
export const TWO_ROTATIONS = 'two rotations in a row';

const CASES: RealOrgCase[] = [
  {
    name: 'same-name client made by hand (no marker): never touched or reused',
    shape: {
      realistic: true,
      clients: [{ name: CLIENT_NAME, description: 'Made by hand for the CRM pilot', roles: [SAMPLE_ROLE] }],
    },
    expect: { rotates: true },
  },
  {
    name: 'same-name client of ours disabled (by Genesys support): left alone',
    shape: {
      clients: [
        { name: CLIENT_NAME, description: CLIENT_DESCRIPTION, roles: [SAMPLE_ROLE], state: 'disabled' },
      ],
    },
    expect: { rotates: true },
  },
  pagingCase('next-uri', { rotates: true }),
  pagingCase('page-count', { rotates: true }),
  pagingCase('single-page', { rotates: true }),
  // Page 2 cannot be reached: no attempt may conclude the leftover absent and make a second client.
  pagingCase('first-page-only', { failsEveryAttempt: 'Genesys.Transient' }),
  {
    name: `listing lag of ${LEFTOVER_LAG_MS / 1000} s (the product allows ${DEFAULT_CONSISTENCY.clientListingGraceMs / 1000} s): a stopped attempt's client, created moments ago, not listed yet`,
    org: async (harness, lane, name) => {
      const o = await onboardedOrg(harness, lane, name, {
        leftovers: [{ name: CLIENT_NAME, description: CLIENT_DESCRIPTION, roles: [SAMPLE_ROLE] }],
      });
      const now = Date.now();
      for (const client of o.org.state.clients.values()) {
        if (!o.others.has(client.id) && client.id !== o.clientId) {
          client.dateCreated = new Date(now).toISOString();
          client.listedAt = now + LEFTOVER_LAG_MS;
          client.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
        }
      }
      return o;
    },
    expect: { rotates: true },
  },
  {
    name: 'the integration re-activates on a credential change (credentialChangeReactivates, 300 ms)',
    knobs: { credentialChangeReactivates: true, activationDelayMs: 300 },
    expect: { rotates: true },
    check: (_, watcher) =>
      watcher.seen.some((s) => s.reported === 'ACTIVATING')
        ? []
        : ['the integration never reported ACTIVATING: the case proves nothing'],
  },
  {
    name: 'the integration reports ERROR after the switch: the previous client kept',
    knobs: {
      credentialChangeReactivates: true,
      activationError: { message: 'The Data Actions service rejected the credentials (reliability suite)' },
    },
    expect: {
      failsEveryAttempt: 'Rotation.IntegrationError',
      causeIncludes: 'The Data Actions service rejected the credentials (reliability suite)',
    },
  },
  { name: TWO_ROTATIONS, rotations: 2, expect: { rotates: true } },
  {
    name: 'right after a real onboarding (its ids inside the 404 and listing windows)',
    org: onboardedByARun,
    expect: { rotates: true },
  },
];

/**
 * The real-org cases: look-alikes of our client (made by hand, or ours but disabled), 31 clients over two
 * pages with a stopped attempt's client on page 2, listing lag, an integration that re-activates (or fails)
 * on a credential change, rotations in a row, a fresh onboarding. Each expects a clean rotation with the
 * credential working throughout, or attempts that all fail leaving the org as it was.
 */
function realOrgCells(harness: Harness): Cell[] {
  return CASES.map(
    (spec): Cell => ({
      section: 'real_org',
      name: named(spec.name),
      run: (lane) => realOrgCell(harness, lane, spec),
    }),
  );
}

/**
 * One real-org case, by its name without the `rotation: ` prefix, run as the suite runs it (the self-check
 * probes a planted bug with it). Throws when no case has the name.
 */
export function rotationRealOrgCase(harness: Harness, lane: Lane, caseName: string): Promise<Verdict> {
  const spec = CASES.find((c) => c.name === caseName);
  if (!spec) throw new Error(`no rotation real-org case is named "${caseName}"`);
  return realOrgCell(harness, lane, spec);
}

async function realOrgCell(harness: Harness, lane: Lane, spec: RealOrgCase): Promise<Verdict> {
  const name = named(spec.name);
  const o = await (spec.org ?? ((h, l, n) => onboardedOrg(h, l, n, spec.shape)))(harness, lane, name);
  const watcher = new CredentialWatcher(harness, o);
  await watcher.check('before the rotation');
  const since = lane.simulator.requestLog.length;
  const recordBefore = JSON.stringify(await harness.resultSecret(o.org));
  const saved = { ...lane.simulator.options };
  Object.assign(lane.simulator.options, spec.knobs ?? {});
  const tracker: RotationTracker = {};
  const source = `rotation real org: ${spec.name}`;
  const started = Date.now();
  const rounds: RotationAttempt[][] = [];
  try {
    for (let round = 0; round < (spec.rotations ?? 1); round++) {
      const token = randomUUID();
      const retry = {
        source: `${source} (rotation ${round + 1})`,
        token,
        tracker,
        wrappers: watcher.wrappers,
      };
      rounds.push(await untilDone(harness, o, await rotateOnce(harness, o, retry), retry));
    }
  } finally {
    lane.simulator.options = saved;
  }
  const ms = Date.now() - started;
  await watcher.check('after the rotation');
  const problems: string[] = [];
  const expect = spec.expect;
  const attempts = rounds.flat();
  if ('rotates' in expect) {
    for (const round of rounds) {
      const last = lastOf(round);
      if (last.error) problems.push(`every attempt failed; the last: ${attemptText(last)}`);
    }
    problems.push(...(await rotatedCleanly(harness, o, watcher, since)));
  } else {
    const wrong = attempts.filter((a) => a.error?.name !== expect.failsEveryAttempt);
    if (wrong.length)
      problems.push(
        `expected every attempt to fail with ${expect.failsEveryAttempt}: ${wrong.map(attemptText).join('; ')}`,
      );
    const cause = expect.causeIncludes;
    if (cause && !attempts.every((a) => a.error?.message.includes(cause)))
      problems.push(`an attempt's error does not carry "${cause}"`);
    if (JSON.stringify(await harness.resultSecret(o.org)) !== recordBefore)
      problems.push('the record changed');
    if (o.org.state.clients.get(o.clientId)?.state !== 'active')
      problems.push('the onboarded client is not active');
    problems.push(...watcher.problems(), ...othersTouched(o, since));
  }
  problems.push(...(spec.check?.(o, watcher) ?? []));
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${attempts.length} attempt(s)${attempts[0]?.error ? ` (first: ${attempts[0].error.name})` : ''}, ${problems.length ? problems.join('; ') : 'rotates' in expect ? 'rotated cleanly, the credential worked throughout' : 'every attempt failed, the org as it was, the credential working'} (${ms} ms)`,
    duplicates: 'rotates' in expect ? duplicatesOf(o) : 0,
  };
}

/**
 * The rotation workflow's cases: two probe rotations find the Genesys calls and the secret store calls of
 * the four steps (on an org onboarded 40 days before), then every fault on each, crash points and the
 * real-org cases; every cell watches the integration's configured credential get a token after every change.
 */
export const ROTATION_CASES: WorkflowCases = {
  workflow: 'rotation',
  async cells(harness) {
    const lane = harness.lanes[2 % harness.lanes.length] as Lane;
    const genesysCalls = await rotationCalls(harness, lane);
    const storeCalls = await rotationStoreCalls(harness, lane);
    return [
      ...realOrgCells(harness),
      ...genesysFaultCells(harness, genesysCalls),
      ...storeFaultCells(harness, storeCalls),
      ...crashCells(harness),
    ];
  },
};
