import { randomUUID } from 'node:crypto';
import { TokenCache } from '../../lambdas/genesys/auth';
import { GenesysClient } from '../../lambdas/genesys/client';
import { STEP_ERROR_NAMES } from '../../lambdas/genesys/errors';
import type { StepDeps } from '../../lambdas/shared/deps';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import { LocalWorkflow, LocalWorkflowStarter } from '../../local/runner';
import { onboardingRequest } from '../lambdas/workflows/onboarding/fixtures';
import { apiError } from '../support/fake-genesys';
import { type StepWorld, stepWorld } from '../support/step-deps';
import { PREFIX, WorkflowWorld } from '../support/workflow';

/** A world whose fake org can be onboarded: the role exists and the integration turns ACTIVE when enabled. */
async function onboardable(): Promise<StepWorld> {
  const w = await stepWorld();
  w.genesys.addRole('Data Actions Role');
  w.genesys.reportedStateAfterEnable = 'ACTIVE';
  return w;
}

const workflowOf = (w: StepWorld, options: Partial<ConstructorParameters<typeof LocalWorkflow>[0]> = {}) =>
  new LocalWorkflow({ deps: w.deps, fastDelaysMs: 1, ...options });

/** The synthesized onboarding state machine, in-process, against the in-memory org and store. */
describe('LocalWorkflow', () => {
  it('runs every step handler to SUCCEEDED and answers the ids', async () => {
    const w = await onboardable();
    const execution = await workflowOf(w).execute('run-1', { request: onboardingRequest(w) });
    expect(execution.status).toBe('SUCCEEDED');
    const [client] = [...w.genesys.clients.values()].filter((c) => c.id !== w.genesys.bootstrap.id);
    const [integration] = w.genesys.integrations.values();
    const [credential] = w.genesys.credentials.values();
    expect(JSON.parse(execution.output ?? '')).toEqual({
      orgId: w.orgId,
      oauthClientId: client?.id,
      integrationId: integration?.id,
      credentialId: credential?.id,
      secretArn: (await w.secrets.get(w.resultSecretId))?.arn,
      changed: { oauthClient: [], integration: [] },
    });
    expect(execution).toMatchObject({ name: 'run-1', executionArn: 'local:run-1' });
    expect(execution.invocations).toBe(6);
    expect(execution.transitions).toBe(
      execution.events.filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length,
    );
    expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate?.getTime() ?? Infinity);
  });

  it('fails with the error and cause of the failed step, after compensating', async () => {
    const w = await onboardable();
    await w.secrets.delete(w.bootstrapSecretId);
    const execution = await workflowOf(w).execute('run-2', { request: onboardingRequest(w) });
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'Onboarding.BootstrapSecretMissing',
      cause: expect.stringContaining(`Bootstrap secret ${w.bootstrapSecretId} does not exist`),
    });
    expect(execution.output).toBeUndefined();
    const entered = execution.events.flatMap((e) =>
      e.type === 'StateEntered' ? [(e as { state: { name: string } }).state.name] : [],
    );
    expect(entered).toContain('Compensate');
  });

  it('stops where it stands when aborted, with no output', async () => {
    const w = await onboardable();
    const controller = new AbortController();
    const workflow = workflowOf(w, {
      onEvent: (event) => {
        if (
          (event as { state?: { name?: string } }).state?.name === 'Prepare' &&
          event.type === 'StateExited'
        ) {
          controller.abort();
        }
      },
    });
    const execution = await workflow.execute('run-3', { request: onboardingRequest(w) }, controller.signal);
    expect(execution.status).toBe('ABORTED');
    expect(execution.output).toBeUndefined();
    expect(w.genesys.clients.size).toBe(1);
  });
});

describe('LocalWorkflow: $$.State.RetryCount, which the engine lacks', () => {
  /** Fails the first `failures[state]` invocations of each state with the error named beside it. */
  const failing = (failures: Record<string, Array<string>>) => (stateName: string) => {
    const name = failures[stateName]?.shift();
    if (name) throw Object.assign(new Error('failed before the step ran'), { name });
  };
  const lookups = (w: StepWorld) => ({
    integrations: w.genesys.callsOf('integrations.findByName').length,
    credentials: w.genesys.callsOf('credentials.findByName').length,
  });

  it('gives the first attempts 0: only Prepare lists integrations, and credentials are listed once, after the create', async () => {
    const w = await onboardable();
    const execution = await workflowOf(w).execute('attempt-0', { request: onboardingRequest(w) });
    expect(execution.status).toBe('SUCCEEDED');
    expect(lookups(w)).toEqual({ integrations: 1, credentials: 1 });
  });

  it('counts every retry, whichever Retry entry made it: the retried steps look for an earlier attempt’s work', async () => {
    const w = await onboardable();
    const beforeTask = failing({
      [S.ensureIntegration]: [STEP_ERROR_NAMES.transient, STEP_ERROR_NAMES['rate-limited']],
      [S.configure]: [STEP_ERROR_NAMES.conflict],
    });
    const execution = await workflowOf(w, { beforeTask }).execute('attempt-n', {
      request: onboardingRequest(w),
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.events.filter((e) => e.type === 'StateRetried')).toHaveLength(3);
    // EnsureIntegration's third attempt lists integrations; Configure's second lists credentials before its create.
    expect(lookups(w)).toEqual({ integrations: 2, credentials: 2 });
    expect(w.genesys.integrations.size).toBe(1);
    expect(w.genesys.credentials.size).toBe(1);
  });
});

describe('LocalWorkflow: a re-run after a run that died mid-way', () => {
  it.each([
    ['the integration was created (before its marker)', 'integrations.updateConfig' as const],
    ['the credential was created (on its first attempt)', 'credentials.findByName' as const],
  ])('ends with one integration and one credential when the run died after %s', async (_, next) => {
    const w = await onboardable();
    const crash = new AbortController();
    // The step dies at the call after the create: it runs no further line until the end of the test, when the
    // call fails in a way that changes nothing (its task's timeout timer is then cleared).
    let release: () => void = () => undefined;
    w.genesys.intercept(
      next,
      () => {
        crash.abort();
        return new Promise((_, reject) => {
          release = () => reject(apiError('transient', 'GET', '/api/v2/integrations'));
        });
      },
      1,
    );
    const request = { request: onboardingRequest(w) };
    expect((await workflowOf(w).execute('crashed', request, crash.signal)).status).toBe('ABORTED');
    expect(w.genesys.integrations.size + w.genesys.credentials.size).toBe(
      next === 'credentials.findByName' ? 2 : 1,
    );

    expect((await workflowOf(w).execute('re-run', request)).status).toBe('SUCCEEDED');
    expect(w.genesys.integrations.size).toBe(1);
    expect(w.genesys.credentials.size).toBe(1);
    const [integration] = w.genesys.integrations.values();
    const [credential] = w.genesys.credentials.values();
    expect(integration?.config.current.credentials).toEqual({ pureCloudOAuthClient: { id: credential?.id } });
    release();
  });
});

describe('LocalWorkflowStarter', () => {
  it('starts an execution once per name, says it is running, and gives it when it is done', async () => {
    const w = await onboardable();
    const starter = new LocalWorkflowStarter(workflowOf(w));
    const input = { request: onboardingRequest(w) };
    expect(await starter.describe('run-4')).toBeUndefined();
    expect(await starter.start('run-4', input)).toEqual({
      executionArn: 'local:run-4',
      alreadyStarted: false,
    });
    expect(await starter.start('run-4', input)).toEqual({
      executionArn: 'local:run-4',
      alreadyStarted: true,
    });
    expect(await starter.describe('run-4')).toEqual({
      name: 'run-4',
      executionArn: 'local:run-4',
      status: 'RUNNING',
    });
    const done = await starter.wait('run-4');
    expect(done.status).toBe('SUCCEEDED');
    expect(await starter.describe('run-4')).toBe(done);
    expect(w.genesys.callsOf('oauthClients.create')).toHaveLength(1);
  });

  it('refuses to wait for an execution it never started', async () => {
    const w = await onboardable();
    await expect(new LocalWorkflowStarter(workflowOf(w)).wait('never')).rejects.toThrow('no execution never');
  });
});

describe('LocalWorkflow against the simulator', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start({ readAfterCreateNotFoundMs: 0, oauthClientListingLagMs: 0 });
  });
  afterAll(() => world.stop());

  it('gives each task invocation the collaborators `deps` returns for its state, as Lambda gives each container its own', async () => {
    const org = await world.newOrg();
    const invoked: string[] = [];
    const tokenRequests: string[] = [];
    const container = (stateName: string): StepDeps => {
      invoked.push(stateName);
      const base = world.deps();
      const tokenCache = new TokenCache();
      return {
        ...base,
        genesys: (options) =>
          new GenesysClient({
            ...options,
            tokenCache,
            onEvent: (event) => {
              if (event.type === 'call' && event.path === '/oauth/token') tokenRequests.push(stateName);
            },
          }),
      };
    };
    const workflow = new LocalWorkflow({ deps: container, fastDelaysMs: 5 });
    const request = parseOnboardingRequest(org.request(), { secretPrefix: PREFIX });
    const execution = await workflow.execute(`containers-${randomUUID()}`, { request });

    expect(execution.status).toBe('SUCCEEDED');
    expect(invoked).toHaveLength(execution.invocations);
    expect(new Set(invoked)).toEqual(
      new Set([S.prepare, S.ensureOAuthClient, S.ensureIntegration, S.configure, S.record, S.verify]),
    );
    // No token is shared between invocations: each step that calls Genesys asks for its own.
    for (const state of [S.prepare, S.ensureOAuthClient, S.ensureIntegration, S.configure]) {
      expect(tokenRequests.filter((s) => s === state)).toHaveLength(1);
    }
  });
});
