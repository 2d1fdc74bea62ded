import { withMarker } from '../../../../lambdas/shared/ownership';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import { removeIntegration } from '../../../../lambdas/workflows/offboarding/steps/remove-integration';
import { type StepWorld, stepWorld } from '../../../support/step-deps';

const OUR_CREDENTIAL = 'credential-ours';
const THEIR_CREDENTIAL = 'credential-theirs';

/** A plan that disables the adopted integration `integrationId`, found running on our credential. */
function disablingPlan(w: StepWorld, integrationId: string): OffboardingPlan {
  return {
    orgId: w.orgId,
    region: 'eu-west-1',
    bootstrapSecretId: w.bootstrapSecretId,
    resultSecretId: w.resultSecretId,
    bootstrapClientId: w.genesys.bootstrap.id,
    disableIntegration: { id: integrationId, credentialId: OUR_CREDENTIAL, why: 'test' },
    credentials: [{ id: OUR_CREDENTIAL, why: 'the stored record names it' }],
    clients: [],
    alreadyAbsent: [],
    leftAlone: [],
  };
}

/** An adopted, enabled integration carrying our marker in its notes, configured with `credentialId`. */
async function adoptedRunningOn(credentialId: string, notes = withMarker('CRM sync')) {
  const w = await stepWorld();
  const integration = w.genesys.addIntegration({
    name: 'CRM Data Actions',
    intendedState: 'ENABLED',
    config: { notes, credentials: { pureCloudOAuthClient: { id: credentialId } } },
  });
  return { w, integration };
}

describe('offboarding RemoveIntegration of an integration we adopted', () => {
  it('disables it and takes our credential and marker out while it still runs on our credential', async () => {
    const { w, integration } = await adoptedRunningOn(OUR_CREDENTIAL);
    const outcome = await removeIntegration({ plan: disablingPlan(w, integration.id) }, w.deps);
    expect(outcome).toEqual({
      removed: [],
      alreadyAbsent: [],
      disabled: [{ kind: 'integration', id: integration.id }],
    });
    const after = w.genesys.integrations.get(integration.id);
    expect(after?.intendedState).toBe('DISABLED');
    expect(after?.config.current.credentials).toEqual({});
    expect(after?.config.current.notes).toBe('CRM sync');
    expect(w.genesys.writes()).toEqual([
      `integrations.patch ${integration.id}`,
      `integrations.putConfig ${integration.id}`,
    ]);
  });

  it('leaves it enabled and writes nothing when it was switched to another credential after Prepare', async () => {
    const { w, integration } = await adoptedRunningOn(THEIR_CREDENTIAL, 'CRM sync');
    const before = structuredClone(integration);
    const outcome = await removeIntegration({ plan: disablingPlan(w, integration.id) }, w.deps);
    expect(outcome).toEqual({ removed: [], alreadyAbsent: [], disabled: [] });
    expect(w.genesys.integrations.get(integration.id)).toEqual(before);
    expect(w.genesys.writes()).toEqual([]);
  });

  it('switched to another credential but still marked: left enabled on their credential, only our marker taken out', async () => {
    const { w, integration } = await adoptedRunningOn(THEIR_CREDENTIAL);
    const outcome = await removeIntegration({ plan: disablingPlan(w, integration.id) }, w.deps);
    expect(outcome).toEqual({ removed: [], alreadyAbsent: [], disabled: [] });
    const after = w.genesys.integrations.get(integration.id);
    expect(after?.intendedState).toBe('ENABLED');
    expect(after?.config.current.credentials).toEqual({ pureCloudOAuthClient: { id: THEIR_CREDENTIAL } });
    expect(after?.config.current.notes).toBe('CRM sync');
    expect(w.genesys.writes()).toEqual([`integrations.putConfig ${integration.id}`]);
  });
});

describe('offboarding RemoveIntegration of integrations we created', () => {
  it('deletes the recorded integration and every unrecorded one of ours, in order; one gone already counts as absent', async () => {
    const w = await stepWorld();
    const recorded = w.genesys.addIntegration({ name: 'CRM Data Actions' });
    const stray = w.genesys.addIntegration({ name: 'CRM Data Actions' });
    const plan: OffboardingPlan = {
      ...disablingPlan(w, recorded.id),
      integration: { id: recorded.id, why: 'the stored record names it' },
      unrecordedIntegrations: [
        { id: stray.id, why: 'marked' },
        { id: 'integration-gone', why: 'marked' },
      ],
    };
    delete plan.disableIntegration;
    const outcome = await removeIntegration({ plan }, w.deps);
    expect(outcome).toEqual({
      removed: [
        { kind: 'integration', id: recorded.id },
        { kind: 'integration', id: stray.id },
      ],
      alreadyAbsent: [{ kind: 'integration', id: 'integration-gone' }],
    });
    expect(w.genesys.integrations.size).toBe(0);
  });
});
