import { randomUUID } from 'node:crypto';
import { type OffboardingOutput, offboardingResult } from '../../lambdas/api/offboardings';
import {
  type OffboardingRequestInput,
  parseOffboardingRequest,
} from '../../lambdas/shared/offboarding-request';
import type { ClientCreationIntent } from '../../lambdas/shared/secrets';
import type { OffboardingResult } from '../../lambdas/workflows/offboarding/state';
import { OFFBOARDING_STATES as S } from '../../lambdas/workflows/offboarding/states';
import type { LocalExecution } from '../../local/runner';
import { currentStep } from '../../local/step-context';
import {
  KNOB_DEFAULTS,
  type OAuthClientPaging,
  type RequestLogEntry,
  realisticOrgSeed,
  SAMPLE_ROLE,
} from '../../simulator';
import type { SimulatorKnobs } from '../../simulator/options';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { OAuthClientSeed } from '../../simulator/state';
import { storeWith } from '../support/stores';
import { type Cell, timed, truncate, type Verdict, type WorkflowCases } from './cells';
import { type FaultKind, firing, GENESYS_FAULT_KINDS, type GenesysCall } from './faults';
import { type Harness, type Lane, PREFIX, type RunWrappers } from './harness';
import {
  CallRecorder,
  CLIENT_DESCRIPTION,
  CLIENT_NAME,
  INTEGRATION_NAME,
  type Leftover,
  LIFECYCLE_CONSISTENCY,
  type OnboardedShape,
  onboardedByARun,
  onboardedOrg,
  othersTouched,
  oursLeft,
  rotateOnce,
  type WatchedOrg,
  watched,
} from './lifecycle';
import {
  firedAndRetried,
  RecordingStore,
  type StoreCall,
  type StoreFaultKind,
  storeCallLabel,
} from './store-faults';

/** Every offboarding cell's name starts with this: names are unique across workflows. */
const named = (text: string) => `offboarding: ${text}`;

/** The request that names our client and integration, for an org whose record is lost. */
const BY_NAME = { oauthClientName: CLIENT_NAME, integrationName: INTEGRATION_NAME } as const;

interface OffboardRun {
  /** What produced the run, for the report and the leak scan. */
  readonly source: string;
  /** Besides the org id and region. */
  readonly request?: Partial<OffboardingRequestInput>;
  readonly wrappers?: RunWrappers;
  /** Aborts the run where it stands (a crash). */
  readonly signal?: AbortSignal;
}

/** Runs the offboarding state machine once for the org, each task a traced invocation; the history is kept. */
async function offboard(harness: Harness, o: WatchedOrg, run: OffboardRun): Promise<LocalExecution> {
  const request = parseOffboardingRequest(
    { orgId: o.org.id, region: 'eu-west-1', ...run.request },
    { secretPrefix: PREFIX },
  );
  const deps = harness.deps({ wrappers: run.wrappers, consistency: LIFECYCLE_CONSISTENCY });
  const workflow = harness.localWorkflow('offboarding');
  const execution = await harness.withDeps(deps, () =>
    workflow.execute(`offboarding-${randomUUID()}`, { request }, run.signal),
  );
  harness.output('history', run.source, JSON.stringify(execution));
  return execution;
}

const resultOf = (execution: LocalExecution): OffboardingResult =>
  offboardingResult(JSON.parse(execution.output ?? '{}') as OffboardingOutput);

const runText = (execution: LocalExecution) =>
  `${execution.status}${execution.error ? ` ${execution.error}` : ''}`;

/**
 * A successful run's end: nothing of ours left (no client but deleted ones, no integration, no credential,
 * no result secret), nothing that is not ours touched, and the result reports every resource of ours that was
 * there before the run (`before`) as removed or already absent, and nothing that is not ours as removed.
 */
async function offboardedCleanly(
  harness: Harness,
  o: WatchedOrg,
  execution: LocalExecution,
  since: number,
  before: Leftover[],
): Promise<string[]> {
  if (execution.status !== 'SUCCEEDED') {
    return [`run ${runText(execution)}: ${truncate(execution.cause ?? '', 300)}`, ...othersTouched(o, since)];
  }
  const problems = (await oursLeft(harness, o)).map((left) => `left behind: ${left.text}`);
  const { removed, alreadyAbsent } = resultOf(execution);
  const removedIds = [
    ...removed.oauthClientIds,
    ...(removed.integrationId ? [removed.integrationId] : []),
    ...removed.credentialIds,
    ...(removed.secretId ? [removed.secretId] : []),
  ];
  const reported = new Set([...removedIds, ...alreadyAbsent.map((a) => a.id)]);
  for (const resource of before) {
    if (!reported.has(resource.id)) problems.push(`the result does not report ${resource.text}`);
  }
  for (const id of removedIds) {
    const other = o.others.get(id);
    if (other) problems.push(`the result reports ${other.kind} ${other.name} (not ours) removed`);
  }
  return [...problems, ...othersTouched(o, since)];
}

/**
 * A failed run's end: FAILED, its cause saying what of ours is left, exactly (DescribeLeftovers: `Still
 * there: ...`, `Nothing of ours is left.`, or `Nothing was removed.` when it failed before removing anything),
 * and nothing that is not ours touched.
 */
async function failedNamingLeftovers(
  harness: Harness,
  o: WatchedOrg,
  execution: LocalExecution,
  since: number,
  before: Leftover[],
): Promise<string[]> {
  if (execution.status !== 'FAILED') return [`run ${execution.status}`, ...othersTouched(o, since)];
  const cause = execution.cause ?? '';
  const left = await oursLeft(harness, o);
  const actual = new Set(left.map((l) => `${l.kind} ${l.id}`));
  const problems: string[] = [];
  const still = /Still there: (.*)\. Run the offboarding again to finish\.$/.exec(cause);
  if (still?.[1]) {
    const said = new Set(
      [...still[1].matchAll(/(OAuth client|integration|credential|secret) ([^\s,]+)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    for (const resource of actual) if (!said.has(resource)) problems.push(`left but not named: ${resource}`);
    for (const resource of said) if (!actual.has(resource)) problems.push(`named but gone: ${resource}`);
  } else if (cause.endsWith('Nothing of ours is left.')) {
    if (left.length)
      problems.push(`the cause says nothing is left, but: ${left.map((l) => l.text).join(', ')}`);
  } else if (cause.endsWith('Nothing was removed.')) {
    const gone = before.filter((b) => !actual.has(`${b.kind} ${b.id}`));
    if (gone.length)
      problems.push(`the cause says nothing was removed, but ${gone.map((g) => g.text).join(', ')} went`);
  } else {
    problems.push(`the cause does not say what is left: ${truncate(cause, 300)}`);
  }
  return [...problems, ...othersTouched(o, since)];
}

/** The fault fired: `fired (503)`, or `fired (reset)`. */
const firedText = (entry: RequestLogEntry | undefined) =>
  entry ? `fired (${entry.status === 0 ? 'reset' : entry.status}), ` : '';

/** The Genesys calls of an offboarding of an onboarded org, in order, each route once per state. */
async function offboardingCalls(harness: Harness, lane: Lane): Promise<GenesysCall[]> {
  const o = await onboardedOrg(harness, lane, 'probe: offboarding Genesys calls');
  const recorder = new CallRecorder(currentStep);
  const since = lane.simulator.requestLog.length;
  const execution = await offboard(harness, o, {
    source: 'probe: offboarding Genesys calls',
    wrappers: recorder.wrappers,
  });
  if (execution.status !== 'SUCCEEDED') {
    throw new Error(`the offboarding probe failed: ${execution.error} ${execution.cause}`);
  }
  const log = harness
    .requestsSince(lane, since)
    .filter((e) => e.orgId === o.org.id || e.path === '/oauth/token');
  return recorder.calls(log);
}

/**
 * Every call of an offboarding × every Genesys fault, each on an org onboarded 40 days before. A transient
 * fault must be survived: nothing of ours left, nothing else touched, the result reporting what went. A
 * permanent 400 must fail the run naming the call and, exactly, what of ours is left; nothing else touched;
 * a re-run then finishes the job. Each cell shows its fault fired and had its effect (as the onboarding's).
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
  const since = lane.simulator.requestLog.length;
  const before = await oursLeft(harness, o);
  const fault = firing(lane, call, kind, { currentStep, persistent: true });
  const { value: execution, ms } = await timed(
    offboard(harness, o, { source: `offboarding faults: ${name}`, wrappers: fault.wrappers }),
  );
  const { entry, problem } = fault.evidence(execution);
  const problems = problem ? [problem] : [];
  let outcome = 'nothing of ours left';
  if (kind.permanent) {
    problems.push(...(await failedNamingLeftovers(harness, o, execution, since, before)));
    lane.simulator.faults.clear();
    const rerun = await offboard(harness, o, { source: `offboarding faults (re-run): ${name}` });
    const rest = await oursLeft(harness, o);
    problems.push(...(await offboardedCleanly(harness, o, rerun, since, rest)).map((p) => `re-run: ${p}`));
    outcome = 'what is left named; the re-run finished';
  } else {
    problems.push(...(await offboardedCleanly(harness, o, execution, since, before)));
  }
  const left = await oursLeft(harness, o);
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${runText(execution)}, ${firedText(entry)}${problems.length ? problems.join('; ') : outcome} (${ms} ms)`,
    orphans: left.length,
  };
}

/** The store calls of an offboarding: each state's first call of each operation on each secret. */
async function offboardingStoreCalls(harness: Harness, lane: Lane): Promise<StoreCall[]> {
  const o = await onboardedOrg(harness, lane, 'probe: offboarding store calls');
  const recorder = new RecordingStore(undefined, { pendingReadsApart: true });
  const execution = await offboard(harness, o, {
    source: 'probe: offboarding store calls',
    wrappers: { store: (store) => recorder.wrap(store) },
  });
  if (execution.status !== 'SUCCEEDED') {
    throw new Error(`the offboarding probe failed: ${execution.error} ${execution.cause}`);
  }
  const seen = new Set<string>();
  return recorder.calls.filter((call) => {
    const key = storeCallLabel({ ...call, nth: 1 });
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The secret store fails (throttled: retried by the state machine; AccessDenied) at each of its calls in an
 * offboarding, and at DescribeLeftovers' lookups after a failed removal. Throttling must be survived (the call
 * made again, nothing of ours left); an AccessDenied must fail the run with the store's error, naming what is
 * left, touching nothing else, and a re-run must finish the job.
 */
function storeFaultCells(harness: Harness, calls: StoreCall[]): Cell[] {
  const kinds: StoreFaultKind[] = ['transient', 'permanent'];
  const matrix = calls.flatMap((call) =>
    kinds.map(
      (kind): Cell => ({
        section: 'store_faults',
        name: named(`${storeCallLabel(call)} — ${kind}`),
        run: (lane) => storeFaultCell(harness, lane, call, kind),
      }),
    ),
  );
  // The bootstrap secret is read (for the Genesys session); the result secret only described.
  const lookups = [
    { operation: 'get', secret: 'bootstrap' },
    { operation: 'describe', secret: 'result' },
  ] as const;
  const leftovers = lookups.flatMap(({ operation, secret }) =>
    kinds.map((kind): Cell => {
      const call = { step: S.describeLeftovers, operation, secret, nth: 1 } as const;
      const name = named(`${storeCallLabel(call)} (after a permanent 400 on the client DELETE) — ${kind}`);
      return {
        section: 'store_faults',
        name,
        run: (lane) => leftoversStoreCell(harness, lane, name, call, kind),
      };
    }),
  );
  return [...matrix, ...leftovers];
}

async function storeFaultCell(
  harness: Harness,
  lane: Lane,
  call: StoreCall,
  kind: StoreFaultKind,
): Promise<Verdict> {
  const name = named(`${storeCallLabel(call)} — ${kind}`);
  const o = await onboardedOrg(harness, lane, name);
  const since = lane.simulator.requestLog.length;
  const before = await oursLeft(harness, o);
  const recorder = new RecordingStore({ call, kind }, { pendingReadsApart: true });
  const { value: execution, ms } = await timed(
    offboard(harness, o, {
      source: `offboarding store faults: ${name}`,
      wrappers: { store: (store) => recorder.wrap(store) },
    }),
  );
  const problems = firedAndRetried(recorder, kind);
  if (kind === 'transient') {
    problems.push(...(await offboardedCleanly(harness, o, execution, since, before)));
  } else {
    if (execution.status === 'FAILED' && execution.error !== 'AccessDeniedException')
      problems.push(`failed with ${execution.error}, not the store's AccessDeniedException`);
    problems.push(...(await failedNamingLeftovers(harness, o, execution, since, before)));
    const rerun = await offboard(harness, o, { source: `offboarding store faults (re-run): ${name}` });
    problems.push(
      ...(await offboardedCleanly(harness, o, rerun, since, await oursLeft(harness, o))).map(
        (p) => `re-run: ${p}`,
      ),
    );
  }
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${runText(execution)}, ${problems.length ? problems.join('; ') : kind === 'transient' ? 'fired, call made again, nothing of ours left' : 'fired, what is left named, the re-run finished'} (${ms} ms)`,
    orphans: (await oursLeft(harness, o)).length,
  };
}

/**
 * A run whose client removal is refused (a permanent 400 on the DELETE) and whose DescribeLeftovers cannot
 * look a secret up at first: a throttled lookup must be made again and the cause still name what is left; an
 * AccessDenied must leave the run failing with the removal's error, its cause saying what could not be read.
 */
async function leftoversStoreCell(
  harness: Harness,
  lane: Lane,
  name: string,
  call: StoreCall,
  kind: StoreFaultKind,
): Promise<Verdict> {
  const o = await onboardedOrg(harness, lane, name);
  const since = lane.simulator.requestLog.length;
  const before = await oursLeft(harness, o);
  const recorder = new RecordingStore({ call, kind }, { pendingReadsApart: true });
  lane.simulator.injectFault({
    method: 'DELETE',
    path: '/api/v2/oauth/clients/{clientId}',
    fault: { kind: 'status', status: 400 },
  });
  const { value: execution, ms } = await timed(
    offboard(harness, o, {
      source: `offboarding store faults: ${name}`,
      wrappers: { store: (store) => recorder.wrap(store) },
    }),
  );
  lane.simulator.faults.clear();
  const problems = firedAndRetried(recorder, kind);
  if (execution.error !== 'Genesys.BadRequest')
    problems.push(`run ${runText(execution)}, not failed with the removal's Genesys.BadRequest`);
  if (kind === 'transient') {
    problems.push(...(await failedNamingLeftovers(harness, o, execution, since, before)));
  } else {
    if (!/What is left could not be read \(.*AccessDenied|not authorized/.test(execution.cause ?? ''))
      problems.push(`the cause does not say what could not be read: ${truncate(execution.cause ?? '')}`);
    problems.push(...othersTouched(o, since));
  }
  const rerun = await offboard(harness, o, { source: `offboarding store faults (re-run): ${name}` });
  problems.push(
    ...(await offboardedCleanly(harness, o, rerun, since, await oursLeft(harness, o))).map(
      (p) => `re-run: ${p}`,
    ),
  );
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${runText(execution)}, ${problems.length ? problems.join('; ') : kind === 'transient' ? 'fired, read again, what is left named; the re-run finished' : 'fired, the cause says what could not be read; the re-run finished'} (${ms} ms)`,
    orphans: (await oursLeft(harness, o)).length,
  };
}

interface CrashPoint {
  readonly name: string;
  /** The run stops as this state starts: its first call (to the store or Genesys) never returns. */
  readonly before?: string;
  /** The run stops once this request has been answered. */
  readonly fetch?: { method: string; path: RegExp };
  /** The run stops once the result secret has been deleted. */
  readonly afterSecretDeleted?: true;
}

const CRASH_POINTS: CrashPoint[] = [
  ...[S.prepare, S.removeIntegration, S.removeCredentials, S.removeClients, S.removeSecret].map((state) => ({
    name: `before ${state}`,
    before: state,
  })),
  {
    name: "after the integration's DELETE was answered",
    fetch: { method: 'DELETE', path: /\/api\/v2\/integrations\/[^/]+$/ },
  },
  {
    name: "after the credential's DELETE was answered",
    fetch: { method: 'DELETE', path: /\/api\/v2\/integrations\/credentials\/[^/]+$/ },
  },
  {
    name: 'after the client was made inactive, before its DELETE',
    fetch: { method: 'PUT', path: /\/api\/v2\/oauth\/clients\/[^/]+$/ },
  },
  {
    name: "after the client's DELETE was answered",
    fetch: { method: 'DELETE', path: /\/api\/v2\/oauth\/clients\/[^/]+$/ },
  },
  { name: 'after the result secret was deleted', afterSecretDeleted: true },
];

/** Never settles: the crashed step runs no further line, not even a catch or finally. */
const forever = () => new Promise<never>(() => undefined);

/**
 * The run dies at a point (before a state, or inside one right after a request was answered: no error
 * handling runs); a re-run must finish the job: nothing of ours left, nothing else touched.
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
  const since = lane.simulator.requestLog.length;
  const crash = new AbortController();
  let crashed = false;
  const die = () => {
    crashed = true;
    // After the engine has subscribed to the signal (a state's first call can come before it has).
    setImmediate(() => crash.abort());
    return forever();
  };
  const dies = () => crashed || (point.before !== undefined && currentStep() === point.before);
  const { value: first, ms } = await timed(
    offboard(harness, o, {
      source: `offboarding crash points: ${point.name}`,
      signal: crash.signal,
      wrappers: {
        fetch: (next) => async (input, init) => {
          if (dies()) return die();
          const response = await next(input, init);
          const spec = point.fetch;
          const matches =
            spec &&
            (init?.method ?? 'GET') === spec.method &&
            spec.path.test(new URL(String(input)).pathname);
          return matches ? die() : response;
        },
        store: (store) =>
          storeWith(store, {
            get: (id, options) => (dies() ? die() : store.get(id, options)),
            delete: async (id, options) => {
              if (dies()) return die();
              await store.delete(id, options);
              if (point.afterSecretDeleted) return die();
            },
          }),
      },
    }),
  );
  const rest = await oursLeft(harness, o);
  const rerun = await offboard(harness, o, { source: `offboarding crash points (re-run): ${point.name}` });
  const problems = [
    ...(crashed ? [] : ['the crash point was never reached']),
    ...(first.status === 'ABORTED' ? [] : [`first run ${first.status}`]),
    ...(await offboardedCleanly(harness, o, rerun, since, rest)),
  ];
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `crash ${crashed ? 'hit' : 'missed'} (${ms} ms), re-run ${runText(rerun)}: ${problems.length ? problems.join('; ') : 'nothing of ours left'}`,
    orphans: (await oursLeft(harness, o)).length,
  };
}

/** What a real-org case expects of its run. */
type Expectation =
  /**
   * Nothing of ours left, nothing else touched, the result reporting what went; `nothingWritten`: the run
   * finds nothing of ours to remove and writes nothing.
   */
  | { succeeds: true; nothingWritten?: true }
  /** The run fails with this error before writing anything to the org or the store. */
  | { fails: string; nothingWritten: true };

interface CaseContext {
  readonly harness: Harness;
  readonly o: WatchedOrg;
  readonly execution: LocalExecution;
  /** The lane's requests of the org from the run's start. */
  readonly requests: RequestLogEntry[];
}

interface RealOrgCase {
  readonly name: string;
  /** The org (default: the sample org onboarded 40 days before, with `shape`). */
  readonly org?: (harness: Harness, lane: Lane, name: string) => Promise<WatchedOrg>;
  readonly shape?: OnboardedShape;
  /** Besides the org id and region. */
  readonly request?: Partial<OffboardingRequestInput>;
  /** Knobs for this case only (the lane's simulator is the case's alone while it runs). */
  readonly knobs?: Partial<SimulatorKnobs>;
  readonly expect: Expectation;
  /** Further checks (the case's own preconditions too: a case that proves nothing fails); problems in words. */
  readonly check?: (context: CaseContext) => string[] | Promise<string[]>;
}

/** A client and an integration of our names, made by hand: no ownership marker. */
const LOOK_ALIKES: Pick<OnboardedShape, 'clients' | 'integrations'> = {
  clients: [{ name: CLIENT_NAME, description: 'Made by hand for the CRM pilot', roles: [SAMPLE_ROLE] }],
  integrations: [{ name: INTEGRATION_NAME, type: 'purecloud-data-actions', notes: 'Made by hand' }],
};

/** Ids of the look-alikes (clients and integrations of our names that are not ours) in the org. */
const lookAlikes = (o: WatchedOrg) =>
  [...o.others.entries()]
    .filter(
      ([, r]) =>
        (r.kind === 'client' && r.name === CLIENT_NAME) ||
        (r.kind === 'integration' && r.name === INTEGRATION_NAME),
    )
    .filter(([id]) => o.org.state.clients.get(id)?.state !== 'deleted')
    .map(([id]) => id);

/** The result lists the look-alikes as left alone (not ours). */
const leftAloneLookAlikes = ({ o, execution }: CaseContext): string[] => {
  if (execution.status !== 'SUCCEEDED') return [];
  const alone = new Set(resultOf(execution).leftAlone.map((l) => l.id));
  const ids = lookAlikes(o);
  return [
    ...(ids.length === 2
      ? []
      : [`${ids.length} look-alikes in the org, expected a client and an integration`]),
    ...ids.filter((id) => !alone.has(id)).map((id) => `look-alike ${id} not reported as left alone`),
  ];
};

/** Our client is on page 2 of the listing (page size 25): else a paging case proves nothing. */
function onPage2(o: WatchedOrg): string[] {
  const listed = [...o.org.state.clients.values()].sort(
    (a, b) => a.dateCreated.localeCompare(b.dateCreated) || a.id.localeCompare(b.id),
  );
  const at = listed.findIndex((c) => c.name === CLIENT_NAME && !o.others.has(c.id));
  return at >= KNOB_DEFAULTS.oauthClientPageSize
    ? []
    : [`our client is at ${at + 1} of the listing, not on page 2`];
}

const pagingCase = (mode: OAuthClientPaging, expect: Expectation): RealOrgCase => ({
  name: `client listing paged (${mode}): record lost, ours on page 2`,
  shape: { realistic: true, recordLost: true, clientCreated: '2026-11-20T09:00:00.000Z' },
  request: BY_NAME,
  knobs: { oauthClientPaging: mode },
  expect,
  check: ({ o }) => onPage2(o),
});

/**
 * A real rotation of the org stopped after `step` (Secrets Manager never invoked the next one), a while ago:
 * what it made is past its 404 window when the offboarding starts.
 */
const rotationStoppedAfter =
  (step: 'createSecret' | 'setSecret') =>
  async (harness: Harness, lane: Lane, name: string): Promise<WatchedOrg> => {
    const o = await onboardedOrg(harness, lane, name);
    const stop = new Error(`stopped after ${step}`);
    const attempt = await rotateOnce(harness, o, {
      source: `${name} (rotation)`,
      token: randomUUID(),
      afterStep: (done) => {
        if (done === step) throw stop;
      },
    });
    if (attempt.error !== stop) {
      throw new Error(`the rotation did not stop after ${step}: ${attempt.error?.message ?? 'it finished'}`);
    }
    const { clients, credentials } = o.org.state;
    const readable = Math.max(...[...clients.values(), ...credentials.values()].map((r) => r.readableAt));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, readable - Date.now())));
    return o;
  };

/** Two clients of ours (the rotation's second one), both removed, with both credentials and the pending version. */
const bothClientsRemoved = ({ execution }: CaseContext): string[] =>
  execution.status === 'SUCCEEDED' && resultOf(execution).removed.oauthClientIds.length !== 2
    ? [`${resultOf(execution).removed.oauthClientIds.length} client(s) removed, not the rotation's two`]
    : [];

/**
 * An onboarding that stopped after creating its client, before storing its secret: the creation intent in the
 * result secret, the client (marked) made moments ago, so not listed yet and answering 404 by id for the
 * simulators' windows at their defaults, next to `others` (clients that are not ours); the org is offboarded
 * at once, by name.
 */
const stoppedOnboarding =
  (others: OAuthClientSeed[] = []) =>
  async (harness: Harness, lane: Lane, name: string): Promise<WatchedOrg> => {
    const clientId = randomUUID();
    const sample = sampleOrgSeed({ name });
    const org = await harness.newOrg(lane, name, {
      oauthClients: [
        ...(sample.oauthClients ?? []),
        ...others,
        { id: clientId, name: CLIENT_NAME, description: CLIENT_DESCRIPTION, roles: [SAMPLE_ROLE] },
      ],
    });
    const client = org.state.clients.get(clientId);
    if (!client) throw new Error('the seeded client is missing');
    const now = Date.now();
    client.dateCreated = new Date(now).toISOString();
    client.listedAt = now + KNOB_DEFAULTS.oauthClientListingLagMs;
    client.readableAt = now + KNOB_DEFAULTS.readAfterCreateNotFoundMs;
    harness.remember(client.secret, 'OAuth client secret (seeded)', [client.id]);
    const intent: ClientCreationIntent = {
      orgId: org.id,
      region: 'eu-west-1',
      oauthClientName: CLIENT_NAME,
      creatingSince: client.dateCreated,
    };
    const notOurs = watched(org, new Set([clientId]));
    await harness.store.put({ name: notOurs.secretId, value: JSON.stringify(intent) });
    return notOurs;
  };

/** Clients of ours in the org (not deleted). */
const ourClients = (o: WatchedOrg) =>
  [...o.org.state.clients.values()].filter(
    (c) => !o.others.has(c.id) && c.id !== o.org.seeded.bootstrap.clientId,
  );

/** The run listed the clients while ours was not listed yet: else a listing-lag case proves nothing. */
const listedInsideTheLag = ({ o, requests }: CaseContext): string[] => {
  const [ours] = ourClients(o);
  const listing = requests.find((e) => e.method === 'GET' && e.route === '/api/v2/oauth/clients');
  return listing && ours && listing.time < ours.listedAt
    ? []
    : ['the client listing came after the lag: the case proves nothing'];
};

/** The real-org case that catches a lost ownership check (plants.ts `ownership-check-lost`). */
export const LOST_RECORD_WITH_LOOK_ALIKES =
  'record lost: ours found by the ownership marker, same-name look-alikes left alone';

const CASES: RealOrgCase[] = [
  {
    name: 'same-name client and integration made by hand next to ours, record present',
    shape: { realistic: true, ...LOOK_ALIKES },
    request: BY_NAME,
    expect: { succeeds: true },
  },
  {
    name: LOST_RECORD_WITH_LOOK_ALIKES,
    shape: { realistic: true, recordLost: true, ...LOOK_ALIKES },
    request: BY_NAME,
    expect: { succeeds: true },
    check: leftAloneLookAlikes,
  },
  {
    name: 'record lost, only look-alikes of our names (made by hand): left alone',
    org: async (harness, lane, name) => {
      const seed = realisticOrgSeed();
      return watched(
        await harness.newOrg(lane, name, {
          ...seed,
          oauthClients: [...(seed.oauthClients ?? []), ...(LOOK_ALIKES.clients ?? [])],
          integrations: [...(seed.integrations ?? []), ...(LOOK_ALIKES.integrations ?? [])],
        }),
      );
    },
    request: BY_NAME,
    expect: { succeeds: true, nothingWritten: true },
    check: leftAloneLookAlikes,
  },
  {
    name: 'record lost, the bootstrap client named in the request, with force: never touched',
    shape: { recordLost: true },
    request: { oauthClientName: 'onboarding-bootstrap', force: true },
    expect: { succeeds: true, nothingWritten: true },
    check: ({ o, execution }) =>
      execution.status === 'SUCCEEDED' &&
      !resultOf(execution).leftAlone.some((l) => l.id === o.org.seeded.bootstrap.clientId)
        ? ['the bootstrap client is not reported as left alone']
        : [],
  },
  {
    name: 'a rotation in progress, stopped after createSecret: both clients removed',
    org: rotationStoppedAfter('createSecret'),
    expect: { succeeds: true },
    check: bothClientsRemoved,
  },
  {
    name: 'a rotation in progress, stopped after setSecret: both clients removed',
    org: rotationStoppedAfter('setSecret'),
    expect: { succeeds: true },
    check: bothClientsRemoved,
  },
  pagingCase('next-uri', { succeeds: true }),
  pagingCase('page-count', { succeeds: true }),
  pagingCase('single-page', { succeeds: true }),
  // Page 2 cannot be reached: the run must fail rather than conclude "absent" and leave our client.
  pagingCase('first-page-only', { fails: 'Genesys.Transient', nothingWritten: true }),
  {
    name: `404 window at its default (${KNOB_DEFAULTS.readAfterCreateNotFoundMs} ms): the record names resources created moments ago`,
    shape: { justCreated: true },
    expect: { succeeds: true },
    check: ({ o, requests }) => {
      const [ours] = ourClients(o);
      const first = requests.find((e) => e.method === 'GET' && ours && e.path.endsWith(ours.id));
      return first?.status === 404
        ? []
        : ['the recorded client was not read inside its 404 window: the case proves nothing'];
    },
  },
  {
    name: `404 window at its default (${KNOB_DEFAULTS.readAfterCreateNotFoundMs} ms) on our credential alone, made moments ago (a repair re-created it)`,
    shape: { justCreated: 'credential' },
    expect: { succeeds: true },
    check: ({ o, requests }) =>
      requests.some(
        (e) =>
          e.status === 404 &&
          e.route === '/api/v2/integrations/credentials/{credentialId}' &&
          !o.others.has(e.path.split('/').pop() ?? ''),
      )
        ? []
        : ['our credential never answered 404: the case proves nothing'],
  },
  {
    name: `listing lag at its default (${KNOB_DEFAULTS.oauthClientListingLagMs} ms): a stopped onboarding's client, created moments ago, not listed yet`,
    org: stoppedOnboarding(),
    request: BY_NAME,
    expect: { succeeds: true },
    check: listedInsideTheLag,
  },
  {
    name: `listing lag at its default (${KNOB_DEFAULTS.oauthClientListingLagMs} ms): a stopped onboarding's client not listed yet, a same-name client made by hand listed`,
    org: stoppedOnboarding(LOOK_ALIKES.clients),
    request: BY_NAME,
    expect: { succeeds: true },
    check: listedInsideTheLag,
  },
  {
    name: 'right after a real onboarding (its ids inside the 404 and listing windows)',
    org: onboardedByARun,
    expect: { succeeds: true },
  },
];

/**
 * The real-org cases: what a real org holds (look-alikes of our names made by hand, the bootstrap client, a
 * lost record, a rotation in progress, 31 clients over two pages, deleted clients still listed) and how it
 * behaves (paging modes, listing lag and 404 windows at their realistic defaults). Each expects a clean
 * offboarding of what is ours and nothing else, or a failure that writes nothing.
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
 * One real-org case, by its name without the `offboarding: ` prefix, run as the suite runs it (the self-check
 * probes a planted bug with it). Throws when no case has the name.
 */
export function offboardingRealOrgCase(harness: Harness, lane: Lane, caseName: string): Promise<Verdict> {
  const spec = CASES.find((c) => c.name === caseName);
  if (!spec) throw new Error(`no offboarding real-org case is named "${caseName}"`);
  return realOrgCell(harness, lane, spec);
}

async function realOrgCell(harness: Harness, lane: Lane, spec: RealOrgCase): Promise<Verdict> {
  const name = named(spec.name);
  const o = await (spec.org ?? ((h, l, n) => onboardedOrg(h, l, n, spec.shape)))(harness, lane, name);
  const since = lane.simulator.requestLog.length;
  const before = await oursLeft(harness, o);
  const saved = { ...lane.simulator.options };
  Object.assign(lane.simulator.options, spec.knobs ?? {});
  const { value: execution, ms } = await timed(
    offboard(harness, o, { source: `offboarding real org: ${spec.name}`, request: spec.request }),
  ).finally(() => {
    lane.simulator.options = saved;
  });
  const requests = harness.requestsSince(lane, since).filter((e) => e.orgId === o.org.id);
  const problems: string[] = [];
  const expect = spec.expect;
  if ('succeeds' in expect && expect.nothingWritten) {
    if (execution.status !== 'SUCCEEDED')
      problems.push(`run ${runText(execution)}: ${truncate(execution.cause ?? '')}`);
    const writes = harness.writesSince(o.org, since);
    if (writes.length) problems.push(`wrote ${writes.join(', ')}`);
    if ((await oursLeft(harness, o)).length !== before.length) problems.push('removed something of ours');
    problems.push(...othersTouched(o, since));
  } else if ('succeeds' in expect) {
    problems.push(...(await offboardedCleanly(harness, o, execution, since, before)));
  } else {
    if (execution.status !== 'FAILED' || execution.error !== expect.fails)
      problems.push(`expected ${expect.fails}, got ${runText(execution)}`);
    const writes = harness.writesSince(o.org, since);
    if (writes.length) problems.push(`wrote ${writes.join(', ')}`);
    const left = await oursLeft(harness, o);
    const gone = before.filter((b) => !left.some((l) => l.id === b.id));
    if (gone.length) problems.push(`removed ${gone.map((g) => g.text).join(', ')}`);
  }
  problems.push(...(await (spec.check?.({ harness, o, execution, requests }) ?? [])));
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${runText(execution)}, ${problems.length ? problems.join('; ') : 'succeeds' in expect && !expect.nothingWritten ? 'nothing of ours left, nothing else touched' : 'nothing written'} (${ms} ms)`,
    orphans: 'succeeds' in expect && !expect.nothingWritten ? (await oursLeft(harness, o)).length : 0,
  };
}

/**
 * The offboarding workflow's cases: two probe offboardings find its Genesys calls and its secret store calls
 * (on an org onboarded 40 days before), then every fault on each, DescribeLeftovers' reads failing, crash
 * points and the real-org cases.
 */
export const OFFBOARDING_CASES: WorkflowCases = {
  workflow: 'offboarding',
  async cells(harness) {
    const lane = harness.lanes[1 % harness.lanes.length] as Lane;
    const genesysCalls = await offboardingCalls(harness, lane);
    const storeCalls = await offboardingStoreCalls(harness, lane);
    return [
      ...realOrgCells(harness),
      ...genesysFaultCells(harness, genesysCalls),
      ...storeFaultCells(harness, storeCalls),
      ...crashCells(harness),
    ];
  },
};
