import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ConsistencySettings, GenesysFactory, StepDeps } from '../../lambdas/shared/deps';
import { bootstrapSecretName, credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { isMarked } from '../../lambdas/shared/ownership';
import { type OnboardingRequestInput, parseOnboardingRequest } from '../../lambdas/shared/request';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import type { WorkflowName } from '../../local/definitions';
import { localStepDeps } from '../../local/deps';
import { type LocalExecution, LocalWorkflow } from '../../local/runner';
import { GenesysSimulator, KNOB_DEFAULTS, type RequestLogEntry } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { OrgSeed, SeededOrg, SimOrg } from '../../simulator/state';
import type { LambdaRuntime } from '../support/lambda-runtime';
import type { Output, OutputKind } from '../support/leak-scan';
import { sampleRequest } from '../support/requests';

export const PREFIX = 'genesys-onboarding';
/**
 * The Genesys client's retry policy in every run: short backoff, 1.5 s per attempt (well above the event loop
 * delays of a loaded run, so that no answer is taken for a timeout unless a case means it).
 */
export const RETRY = { baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 1_500, totalBudgetMs: 30_000 };
/** Wait states and Step Functions retry intervals in every run, in ms. */
export const FAST_DELAYS_MS = 5;
/**
 * How long a client whose creation was started may stay out of the listing, in the suite: the simulators'
 * listing lag is 2 s (its realistic default), so 5 s keeps the grace above the lag as the product's 60 s
 * default is above Genesys Cloud's. One case runs with the product default (`defaultGraceCell`, about 60 s).
 */
export const SUITE_LISTING_GRACE_MS = 5_000;
/**
 * How long after its client's creation a racing creator may still be storing its secret, in the suite: the
 * simulators answer a create and the file store writes within milliseconds, as Genesys Cloud and Secrets
 * Manager do within the product's 30 s default (`creatorSecretStoreMs`), which the default-grace case keeps.
 */
export const SUITE_CREATOR_SECRET_STORE_MS = 2_500;

/** The consistency windows every lane's simulator has, in words (its realistic defaults). */
export const KNOB_DEFAULTS_USED = `listing lag ${KNOB_DEFAULTS.oauthClientListingLagMs} ms, 404 after a create ${KNOB_DEFAULTS.readAfterCreateNotFoundMs} ms, deleted clients listed for ${KNOB_DEFAULTS.deletedClientLingerMs / 1000} s`;

/**
 * One simulator with its own fault plan and request log. A lane runs one case at a time, so the faults it
 * scripts and the requests it logs are that case's; lanes run side by side.
 */
export interface Lane {
  readonly index: number;
  readonly simulator: GenesysSimulator;
}

/** An org a case works on, with what it held before the case touched it. */
export interface OrgUnderTest {
  readonly lane: Lane;
  readonly seeded: SeededOrg;
  readonly id: string;
  readonly state: SimOrg;
  readonly before: { clients: Set<string>; integrations: Set<string>; credentials: Set<string> };
}

/**
 * A test-only change of a run's collaborators (faults, crashes, planted bugs): the fetch the Genesys client
 * uses, the Genesys client factory, the secret store.
 */
export interface RunWrappers {
  readonly fetch?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch;
  readonly genesys?: (factory: GenesysFactory) => GenesysFactory;
  readonly store?: (store: SecretStore) => SecretStore;
}

export interface RunOptions {
  /** What produced the run, for the report and the leak scan. */
  readonly source: string;
  readonly request?: OnboardingRequestInput;
  readonly wrappers?: RunWrappers;
  readonly signal?: AbortSignal;
  /**
   * @default the product's defaults but `clientListingGraceMs` = SUITE_LISTING_GRACE_MS and
   * `creatorSecretStoreMs` = SUITE_CREATOR_SECRET_STORE_MS
   */
  readonly consistency?: Partial<ConsistencySettings>;
}

/** The collaborators of the run the current code belongs to (set around each execution). */
const runDeps = new AsyncLocalStorage<StepDeps>();
const activeDeps = (): StepDeps => {
  const deps = runDeps.getStore();
  if (!deps) throw new Error('a step ran outside Harness.run');
  return deps;
};

/**
 * Step collaborators that are those of the run each step belongs to: one LocalWorkflow serves every run (its
 * constructor validates the definition, compiling the ASL schema: about 100 ms of CPU each time).
 */
const RUN_DEPS: StepDeps = {
  get secrets() {
    return activeDeps().secrets;
  },
  get genesys() {
    return activeDeps().genesys;
  },
  get settings() {
    return activeDeps().settings;
  },
  get clock() {
    return activeDeps().clock;
  },
};

/** How an org ended up, against what it held before. */
export interface EndState {
  /**
   * The stored record names one client, integration and credential, all there and agreeing on one secret:
   * client active with the stored secret and the request's name, credential holding that client's id and
   * secret, integration ENABLED and configured with that credential, both marked as ours.
   */
  readonly consistent: boolean;
  readonly problems: string[];
  /** What the case's runs added to the org (deleted clients not counted) and the stored record. */
  readonly added: { clients: number; integrations: number; credentials: number; secret: boolean };
  /** Clients, integrations and credentials added beyond the ones the record names. */
  readonly duplicates: number;
}

/**
 * What every case needs: lanes of simulators, one file secret store, orgs, runs of the synthesized state
 * machine in-process with the real handlers, the end state of an org, and everything that left the system
 * (kept for the leak scan). Every secret a Genesys answer carried (client secrets as issued, tokens) is
 * remembered from the wire, with every org's seeded secrets.
 */
export class Harness {
  readonly lanes: Lane[];
  readonly store: FileSecretStore;
  /** Execution histories, API answers, CLI output (log lines and trace documents are added by the runner). */
  readonly outputs: Output[] = [];
  /** Secret value -> label and the client ids it may be paired with. */
  readonly secrets = new Map<string, { label: string; clientIds: string[] }>();
  private readonly dir: string;
  private readonly workflows = new Map<WorkflowName, LocalWorkflow>();

  constructor(
    readonly runtime: LambdaRuntime,
    laneCount: number,
    /** Applied to every run (the `--plant` mode). */
    private readonly everyRun: RunWrappers = {},
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-reliability-'));
    this.store = new FileSecretStore(this.dir);
    this.lanes = Array.from({ length: laneCount }, (_, index) => ({
      index,
      // Realistic consistency windows (listing lag, 404 after a create) as the simulator's defaults have them;
      // a new client usable after 20 ms and an activation of 10 ms keep runs short.
      simulator: new GenesysSimulator({
        oauthClientListingLagMs: KNOB_DEFAULTS.oauthClientListingLagMs,
        readAfterCreateNotFoundMs: KNOB_DEFAULTS.readAfterCreateNotFoundMs,
        newClientDelayMs: 20,
        activationDelayMs: 10,
      }),
    }));
  }

  /** Starts every lane's simulator. */
  async start(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.simulator.start()));
  }

  /** Stops the simulators and removes the secret store's folder. */
  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.simulator.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Keeps a text that left the system, for the leak scan. */
  output(kind: OutputKind, source: string, text: string): void {
    this.outputs.push({ kind, source, text });
  }

  /** Adds a secret to those the leak scan looks for; `clientIds` it may be paired with in a Basic header. */
  remember(secret: string, label: string, clientIds: string[] = []): void {
    const known = this.secrets.get(secret);
    if (known) known.clientIds.push(...clientIds);
    else this.secrets.set(secret, { label, clientIds: [...clientIds] });
  }

  /** Every secret the simulators hold now (clients' current secrets, credential fields), remembered. */
  rememberSimulatorSecrets(): void {
    for (const lane of this.lanes) {
      for (const org of lane.simulator.orgs.values()) {
        for (const client of org.clients.values())
          this.remember(client.secret, 'OAuth client secret', [client.id]);
        for (const credential of org.credentials.values()) {
          for (const [field, value] of Object.entries(credential.fields)) {
            if (/secret|password/i.test(field)) this.remember(value, `credential ${field}`);
          }
        }
      }
    }
  }

  /**
   * A fetch that remembers every secret and token in the answers it passes on, and sends every request on a
   * connection of its own (`Connection: close`): undici runs a response's callbacks, where Powertools closes
   * the HTTP subsegment, in the context of whoever opened the connection, so a pooled connection would put
   * them in another invocation's trace.
   */
  readonly recordingFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Connection', 'close');
    const response = await fetch(input, { ...init, headers });
    const text = await response.clone().text();
    for (const match of text.matchAll(/"access_token":"([^"]+)"/g)) {
      if (match[1]) this.remember(match[1], 'access token');
    }
    if (text.includes('"secret"')) {
      try {
        const body = JSON.parse(text) as { id?: string; secret?: string };
        if (body.secret)
          this.remember(body.secret, 'OAuth client secret as issued', body.id ? [body.id] : []);
      } catch {
        // not JSON: nothing to remember
      }
    }
    return response;
  };

  /** A new org in `lane` (the sample org's roles unless `seed` says otherwise), its bootstrap secret stored. */
  async newOrg(lane: Lane, name: string, seed?: Partial<OrgSeed>): Promise<OrgUnderTest> {
    const seeded = lane.simulator.addOrg({ ...sampleOrgSeed({ name }), ...seed, id: randomUUID(), name });
    const url = lane.simulator.url;
    await this.store.put({
      name: bootstrapSecretName(PREFIX, seeded.org.id),
      value: JSON.stringify({ ...seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
    });
    this.remember(seeded.bootstrap.clientSecret, 'bootstrap client secret', [seeded.bootstrap.clientId]);
    const org = seeded.org;
    return {
      lane,
      seeded,
      id: org.id,
      state: org,
      before: {
        clients: new Set(org.clients.keys()),
        integrations: new Set(org.integrations.keys()),
        credentials: new Set(org.credentials.keys()),
      },
    };
  }

  /** The sample onboarding request for the org (test/support/requests.ts), with `overrides`. */
  request(org: OrgUnderTest, overrides: Partial<OnboardingRequestInput> = {}): OnboardingRequestInput {
    return sampleRequest(org.id, overrides);
  }

  /**
   * The step collaborators of a run: the file store and the recording fetch, wrapped by the harness's
   * `everyRun` wrappers and then the run's own, the suite's retry policy and listing grace.
   */
  deps(options: Pick<RunOptions, 'wrappers' | 'consistency'> = {}): StepDeps {
    const wrappers = [this.everyRun, options.wrappers ?? {}];
    const fetch = wrappers.reduce((f, w) => w.fetch?.(f) ?? f, this.recordingFetch);
    const secrets = wrappers.reduce<SecretStore>((s, w) => w.store?.(s) ?? s, this.store);
    const deps = localStepDeps({
      secrets,
      retry: RETRY,
      fetch,
      maxVerifyAttempts: 40,
      allowedHosts: ['127.0.0.1'],
      consistency: options.consistency ?? {
        clientListingGraceMs: SUITE_LISTING_GRACE_MS,
        creatorSecretStoreMs: SUITE_CREATOR_SECRET_STORE_MS,
      },
    });
    return { ...deps, genesys: wrappers.reduce((g, w) => w.genesys?.(g) ?? g, deps.genesys) };
  }

  /** Runs the onboarding state machine once for the org, each task a traced invocation; the history is kept. */
  async run(org: OrgUnderTest, options: RunOptions): Promise<LocalExecution> {
    const workflow = this.localWorkflow();
    const request = parseOnboardingRequest(options.request ?? this.request(org), { secretPrefix: PREFIX });
    const execution = await this.withDeps(this.deps(options), () =>
      workflow.execute(`run-${randomUUID()}`, { request }, options.signal),
    );
    this.output('history', options.source, JSON.stringify(execution));
    return execution;
  }

  /**
   * The harness's one LocalWorkflow of a state machine (built once: its constructor compiles the ASL schema);
   * each step uses the deps `withDeps` set around its execution.
   */
  localWorkflow(workflow: WorkflowName = 'onboarding'): LocalWorkflow {
    let local = this.workflows.get(workflow);
    if (!local) {
      local = new LocalWorkflow({ deps: RUN_DEPS, fastDelaysMs: FAST_DELAYS_MS, workflow });
      this.workflows.set(workflow, local);
    }
    return local;
  }

  /** Runs `action`; every execution it starts runs its steps with `deps`. */
  withDeps<T>(deps: StepDeps, action: () => T): T {
    return runDeps.run(deps, action);
  }

  /** Requests of the lane's simulator from `since` (an index into its request log). */
  requestsSince(lane: Lane, since: number): RequestLogEntry[] {
    return lane.simulator.requestLog.slice(since);
  }

  /** Requests that changed something in the org (not a GET, not a token) since `since`. */
  writesSince(org: OrgUnderTest, since: number): string[] {
    return this.requestsSince(org.lane, since)
      .filter((e) => e.orgId === org.id && e.method !== 'GET' && e.path !== '/oauth/token')
      .map((e) => `${e.method} ${e.route ?? e.path}`);
  }

  /** The org's stored record (result secret) as JSON, or undefined when there is none. */
  async resultSecret(org: OrgUnderTest): Promise<Record<string, string> | undefined> {
    const stored = await this.store.get(resultSecretName(PREFIX, org.id));
    return stored ? (JSON.parse(stored.value) as Record<string, string>) : undefined;
  }

  /** The org against what it held before, and against the request whose names it should show. */
  async endState(org: OrgUnderTest, request: OnboardingRequestInput = this.request(org)): Promise<EndState> {
    const { state, before } = org;
    const clients = [...state.clients.values()].filter(
      (c) => !before.clients.has(c.id) && c.state !== 'deleted',
    );
    const integrations = [...state.integrations.keys()].filter((id) => !before.integrations.has(id));
    const credentials = [...state.credentials.keys()].filter((id) => !before.credentials.has(id));
    const record = await this.resultSecret(org);
    const problems: string[] = [];
    const client = record?.clientId ? state.clients.get(record.clientId) : undefined;
    const integration = record?.integrationId ? state.integrations.get(record.integrationId) : undefined;
    const credential = record?.credentialId ? state.credentials.get(record.credentialId) : undefined;
    if (!record) problems.push('no stored record');
    else {
      if (client?.state !== 'active') problems.push(`recorded client ${client?.state ?? 'missing'}`);
      if (!integration) problems.push('recorded integration missing');
      if (!credential) problems.push('recorded credential missing');
    }
    if (client && record) {
      if (client.secret !== record.clientSecret)
        problems.push("stored secret is not the client's current secret");
      if (client.name !== request.oauthClient.name)
        problems.push(`client named ${JSON.stringify(client.name)}`);
      if (!isMarked(client.description)) problems.push('client not marked as ours');
    }
    if (
      client &&
      credential &&
      (credential.fields.clientId !== client.id || credential.fields.clientSecret !== client.secret)
    ) {
      problems.push("credential secret is not the client's current secret");
    }
    if (integration) {
      if (integration.config.credentials.pureCloudOAuthClient?.id !== credential?.id) {
        problems.push('integration not configured with the recorded credential');
      }
      if (integration.intendedState !== 'ENABLED') problems.push('integration not enabled');
      if (integration.name !== request.integration.name)
        problems.push(`integration named ${JSON.stringify(integration.name)}`);
      if (!isMarked(integration.config.notes)) problems.push('integration not marked as ours');
      const named = [...state.credentials.values()].filter((c) => c.name === credentialName(integration.id));
      if (named.length > 1)
        problems.push(`${named.length} credentials named ${credentialName(integration.id)}`);
    }
    const duplicates =
      clients.filter((c) => c.id !== client?.id).length +
      integrations.filter((id) => id !== integration?.id).length +
      credentials.filter((id) => id !== credential?.id).length;
    if (duplicates > 0) problems.push(`${duplicates} more resources than the record names`);
    return {
      consistent: problems.length === 0,
      problems,
      added: {
        clients: clients.length,
        integrations: integrations.length,
        credentials: credentials.length,
        secret: record !== undefined,
      },
      duplicates,
    };
  }
}

/** Resources an end state shows added (for a run that should have left nothing): `[]` when none. */
export function leftovers(state: EndState): string[] {
  const { clients, integrations, credentials, secret } = state.added;
  return [
    ...(clients ? [`${clients} client(s)`] : []),
    ...(integrations ? [`${integrations} integration(s)`] : []),
    ...(credentials ? [`${credentials} credential(s)`] : []),
    ...(secret ? ['the stored record'] : []),
  ];
}
