import { randomUUID } from 'node:crypto';
import { TokenCache } from '../../lambdas/genesys/auth';
import { GenesysClient } from '../../lambdas/genesys/client';
import type { StepDeps } from '../../lambdas/shared/deps';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import { LocalWorkflow } from '../../local/runner';
import { PREFIX, WorkflowWorld } from '../support/workflow';

describe('LocalWorkflow', () => {
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
