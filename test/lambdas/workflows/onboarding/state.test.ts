import {
  type ClientOutcome,
  clientDecisionSchema,
  configureOutcomeSchema,
  integrationDecisionSchema,
  isBranchFailure,
  planSchema,
  provisionedInputSchema,
  recordInputSchema,
  verifyOutcomeSchema,
  workflowStateSchema,
} from '../../../../lambdas/workflows/onboarding/state';
import { stepWorld } from '../../../support/step-deps';
import {
  clientOutcome,
  configureOutcome,
  integrationOutcome,
  ourClient,
  plan,
  provisioned,
  useClient,
} from './fixtures';

/** The paths of the problems a schema finds, e.g. `['oauthClient.roleDivisions']`. */
function problems(result: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[] }> };
}): string[] {
  return result.success ? [] : (result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));
}

describe('the state passed between the onboarding steps', () => {
  it('accepts a plan as Prepare writes it, with either finding', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    expect(planSchema.safeParse(plan(w)).success).toBe(true);
    const used = plan(w, {
      client: useClient(client, 'adopted'),
      integration: {
        action: 'use',
        integrationId: 'i',
        basis: 'unconfigured',
        renameFrom: '',
        intendedState: 'DISABLED',
      },
    });
    expect(planSchema.parse(used)).toEqual(used);
  });

  it.each([
    ['orgId', { orgId: '' }],
    ['region', { region: '' }],
    ['bootstrapSecretId', { bootstrapSecretId: '' }],
    ['resultSecretId', { resultSecretId: '' }],
    ['bootstrapClientId', { bootstrapClientId: '' }],
    ['adoptExisting', { adoptExisting: 'yes' }],
    ['renameIntegration', { renameIntegration: undefined }],
  ])('refuses a plan with a bad %s', async (field, change) => {
    const w = await stepWorld();
    expect(problems(planSchema.safeParse({ ...plan(w), ...change }))).toEqual([field]);
  });

  it('refuses a plan without role pairs, with an empty id in one, or a token validity that is not whole', async () => {
    const w = await stepWorld();
    const base = plan(w);
    const client = (change: object) => ({ ...base, oauthClient: { ...base.oauthClient, ...change } });
    expect(problems(planSchema.safeParse(client({ roleDivisions: [] })))).toEqual([
      'oauthClient.roleDivisions',
    ]);
    expect(
      problems(planSchema.safeParse(client({ roleDivisions: [{ roleId: '', divisionId: 'd' }] }))),
    ).toEqual(['oauthClient.roleDivisions.0.roleId']);
    expect(
      problems(planSchema.safeParse(client({ roleDivisions: [{ roleId: 'r', divisionId: '' }] }))),
    ).toEqual(['oauthClient.roleDivisions.0.divisionId']);
    expect(problems(planSchema.safeParse(client({ name: '' })))).toEqual(['oauthClient.name']);
    expect(problems(planSchema.safeParse(client({ accessTokenValiditySeconds: 1.5 })))).toEqual([
      'oauthClient.accessTokenValiditySeconds',
    ]);
    expect(problems(planSchema.safeParse({ ...base, integration: { name: '', notes: '' } }))).toEqual([
      'integration.name',
    ]);
  });

  it('takes a client finding only as create, or use with an id, a known basis and its current fields', () => {
    const current = { description: '', state: 'active', roleDivisions: [] };
    const use = { action: 'use', oauthClientId: 'c', basis: 'marked', current };
    expect(clientDecisionSchema.safeParse({ action: 'create' }).success).toBe(true);
    expect(clientDecisionSchema.safeParse(use).success).toBe(true);
    expect(clientDecisionSchema.safeParse({ ...use, oauthClientId: '' }).success).toBe(false);
    expect(clientDecisionSchema.safeParse({ ...use, basis: 'found' }).success).toBe(false);
    expect(
      clientDecisionSchema.safeParse({ ...use, current: { ...current, state: undefined } }).success,
    ).toBe(false);
    expect(clientDecisionSchema.safeParse({ action: 'adopt' }).success).toBe(false);
  });

  it('takes an integration finding only as create, or use with an id, a known basis and its intended state', () => {
    const use = { action: 'use', integrationId: 'i', basis: 'recorded', intendedState: 'ENABLED' };
    expect(integrationDecisionSchema.safeParse({ action: 'create' }).success).toBe(true);
    expect(integrationDecisionSchema.safeParse(use).success).toBe(true);
    expect(integrationDecisionSchema.safeParse({ ...use, integrationId: '' }).success).toBe(false);
    expect(integrationDecisionSchema.safeParse({ ...use, basis: 'adopted' }).success).toBe(true);
    expect(integrationDecisionSchema.safeParse({ ...use, basis: 'guessed' }).success).toBe(false);
    expect(integrationDecisionSchema.safeParse({ ...use, intendedState: undefined }).success).toBe(false);
  });

  it('takes Configure and Verify input with both outcomes, and Record input only with Configure’s outcome', async () => {
    const w = await stepWorld();
    const input = provisioned(w);
    expect(provisionedInputSchema.safeParse(input).success).toBe(true);
    expect(problems(recordInputSchema.safeParse(input))).toEqual(['configured']);
    expect(recordInputSchema.safeParse({ ...input, configured: configureOutcome() }).success).toBe(true);
    expect(
      problems(
        provisionedInputSchema.safeParse({ ...input, client: { ...clientOutcome(), oauthClientId: '' } }),
      ),
    ).toEqual(['client.oauthClientId']);
    expect(
      problems(
        provisionedInputSchema.safeParse({
          ...input,
          integration: { ...integrationOutcome(), integrationId: '' },
        }),
      ),
    ).toEqual(['integration.integrationId']);
  });

  it('refuses outcomes with empty ids or fingerprints, and a check count that is not whole', () => {
    expect(problems(configureOutcomeSchema.safeParse(configureOutcome({ credentialId: '' })))).toEqual([
      'credentialId',
    ]);
    expect(
      problems(configureOutcomeSchema.safeParse(configureOutcome({ credentialFingerprint: '' }))),
    ).toEqual(['credentialFingerprint']);
    expect(verifyOutcomeSchema.safeParse({ attempt: 2, reportedState: 'ACTIVE' }).success).toBe(true);
    expect(problems(verifyOutcomeSchema.safeParse({ attempt: 1.5, reportedState: 'ACTIVE' }))).toEqual([
      'attempt',
    ]);
    const outcome: ClientOutcome = clientOutcome();
    expect(
      problems(
        workflowStateSchema.safeParse({ provisioned: [{ ...outcome, secretArn: '' }, integrationOutcome()] }),
      ),
    ).toEqual(['provisioned.0.secretArn']);
  });

  it('takes any part of the workflow state as missing (Compensate sees a run that stopped anywhere)', async () => {
    const w = await stepWorld();
    expect(workflowStateSchema.safeParse({}).success).toBe(true);
    const full = {
      request: { anything: true },
      plan: plan(w),
      provisioned: [{ failed: true, error: { Error: 'Genesys.Permission' } }, integrationOutcome()],
      configured: configureOutcome(),
      verification: { attempt: 1, reportedState: 'ACTIVE' },
      error: { Error: 'Onboarding.IntegrationNotActive', Cause: 'still ACTIVATING' },
    };
    expect(workflowStateSchema.parse(full)).toEqual(full);
    expect(workflowStateSchema.safeParse({ provisioned: [integrationOutcome()] }).success).toBe(false);
  });

  it('tells a failed Parallel branch from an outcome', () => {
    expect(isBranchFailure({ failed: true, error: { Error: 'Genesys.Transient', Cause: 'x' } })).toBe(true);
    expect(isBranchFailure({ failed: true, error: {} })).toBe(true);
    expect(isBranchFailure({ failed: false, error: {} })).toBe(false);
    expect(isBranchFailure({ failed: true })).toBe(false);
    expect(isBranchFailure(clientOutcome())).toBe(false);
    expect(isBranchFailure(undefined)).toBe(false);
  });
});
