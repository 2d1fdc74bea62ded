import { credentialName } from '../../../../lambdas/shared/naming';
import { withMarker } from '../../../../lambdas/shared/ownership';
import type { ResultSecret } from '../../../../lambdas/shared/secrets';
import { describeLeftovers } from '../../../../lambdas/workflows/offboarding/steps/describe-leftovers';
import { prepareOffboarding } from '../../../../lambdas/workflows/offboarding/steps/prepare';
import { type StepWorld, stepWorld } from '../../../support/step-deps';
import { INTEGRATION_NAME, ourClient, resultSecret, storeRecord } from '../onboarding/fixtures';

const TEN_MINUTES_MS = 600_000;

/**
 * An onboarded org: our client, an integration we created configured with our credential, and the record
 * naming them, recorded `recordedAgoMs` ago; `extra` adds to the record.
 */
async function onboarded(recordedAgoMs: number, extra: (w: StepWorld) => Partial<ResultSecret> = () => ({})) {
  const w = await stepWorld();
  const client = ourClient(w);
  const integration = w.genesys.addIntegration({
    name: INTEGRATION_NAME,
    config: { notes: withMarker('') },
  });
  const credential = w.genesys.addCredential({ name: credentialName(integration.id) });
  integration.config.current.credentials = { pureCloudOAuthClient: { id: credential.id as string } };
  await storeRecord(
    w,
    resultSecret(w, client, {
      integrationId: integration.id,
      credentialId: credential.id as string,
      integrationAdopted: false,
      recordedAt: w.clock.iso(-recordedAgoMs),
      ...extra(w),
    }),
  );
  const request = {
    orgId: w.orgId,
    region: 'eu-west-1',
    bootstrapSecretId: w.bootstrapSecretId,
    force: false,
  };
  return { w, client, integration, credentialId: credential.id as string, request };
}

describe('offboarding Prepare: recorded credentials the listing does not show', () => {
  it('reads a recorded credential missing from the listing by id (with the 404 window of a recent record) and removes it', async () => {
    const { w, credentialId, request } = await onboarded(1_000);
    w.genesys.hiddenFromListing.add(credentialId);
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.credentials).toEqual([{ id: credentialId, why: 'the stored record names it' }]);
    expect(plan.alreadyAbsent).toEqual([]);
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args)).toEqual([
      [credentialId, { retryNotFoundMs: 15_000 }],
    ]);
  });

  it('takes a recorded credential as absent only when its direct read answers 404 too (no window once the record is old)', async () => {
    const { w, credentialId, request } = await onboarded(TEN_MINUTES_MS);
    w.genesys.credentials.delete(credentialId);
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.credentials).toEqual([]);
    expect(plan.alreadyAbsent).toEqual([{ kind: 'credential', id: credentialId }]);
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args)).toEqual([
      [credentialId, { retryNotFoundMs: 0 }],
    ]);
  });

  it("reads a rotation's replaced credential missing from the listing by id (its own recordedAt's window) and removes it", async () => {
    const replacedId = 'credential-replaced';
    const { w, integration, credentialId, request } = await onboarded(1_000, (world) => ({
      rotatedFrom: {
        clientId: 'client-old',
        credentialId: replacedId,
        recordedAt: world.clock.iso(-TEN_MINUTES_MS),
      },
    }));
    w.genesys.addCredential({ id: replacedId, name: 'Integration-old' });
    w.genesys.hiddenFromListing.add(replacedId);
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.credentials).toEqual([
      { id: credentialId, why: `named after our integration (${credentialName(integration.id)})` },
      { id: replacedId, why: 'the stored record names it (replaced by a rotation)' },
    ]);
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args)).toEqual([
      [replacedId, { retryNotFoundMs: 0 }],
    ]);
  });
  it('reads the credential an integration removed by force is configured with by id when the listing does not show it', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const credential = w.genesys.addCredential({ name: 'Made by hand' });
    const credentialId = credential.id as string;
    integration.config.current.credentials = { pureCloudOAuthClient: { id: credentialId } };
    w.genesys.hiddenFromListing.add(credentialId);
    const plan = await prepareOffboarding(
      {
        orgId: w.orgId,
        region: 'eu-west-1',
        bootstrapSecretId: w.bootstrapSecretId,
        integrationName: INTEGRATION_NAME,
        force: true,
      },
      w.deps,
    );
    expect(plan.integration?.id).toBe(integration.id);
    expect(plan.credentials).toEqual([{ id: credentialId, why: 'our integration is configured with it' }]);
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args)).toEqual([
      [credentialId, { retryNotFoundMs: 15_000 }],
    ]);
  });
});

describe('offboarding Prepare: reads by id within the time left in the invocation', () => {
  /** An onboarded org whose recorded credential and a rotation's replaced one are both missing from the listing. */
  async function twoUnlisted() {
    const replacedId = 'credential-replaced';
    const org = await onboarded(TEN_MINUTES_MS, (world) => ({
      rotatedFrom: {
        clientId: 'client-old',
        credentialId: replacedId,
        recordedAt: world.clock.iso(-TEN_MINUTES_MS),
      },
    }));
    org.w.genesys.addCredential({ id: replacedId, name: 'Integration-old' });
    org.w.genesys.hiddenFromListing.add(org.credentialId);
    org.w.genesys.hiddenFromListing.add(replacedId);
    // Each read by id is slow: 60 s (within its 105 s budget).
    org.w.genesys.intercept('credentials.find', () => {
      org.w.clock.advance(60_000);
    });
    return { ...org, replacedId };
  }

  it('reads each unlisted credential by id while a whole call still fits before the invocation ends', async () => {
    const { w, request, credentialId, replacedId } = await twoUnlisted();
    // Room for the first read (105 s and the 10 s reserve) and, 60 s later, the second.
    const invocationEndsAt = w.clock.now() + 60_000 + 115_000;
    const plan = await prepareOffboarding(request, { ...w.deps, invocationEndsAt });
    expect(plan.credentials.map((c) => c.id)).toEqual([credentialId, replacedId]);
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args[0])).toEqual([credentialId, replacedId]);
  });

  it('throws Onboarding.OutOfTime (retried) instead of starting a read that may outlast the invocation', async () => {
    const { w, request, credentialId, replacedId } = await twoUnlisted();
    const invocationEndsAt = w.clock.now() + 60_000 + 115_000 - 1;
    const error = await prepareOffboarding(request, { ...w.deps, invocationEndsAt }).then(
      () => new Error('no error'),
      (thrown: Error) => thrown,
    );
    expect(error.name).toBe('Onboarding.OutOfTime');
    expect(error.message).toBe(
      `114 s left in this invocation, too little to read credential ${replacedId}, not listed, by id (1 Genesys call(s) of up to 105 s each): running the step again continues`,
    );
    expect(w.genesys.callsOf('credentials.find').map((c) => c.args[0])).toEqual([credentialId]);
  });
});

describe('offboarding DescribeLeftovers: credentials the listing does not show', () => {
  it('names a planned credential that is still there though the listing does not show it, and not one that is gone', async () => {
    const { w, credentialId, request } = await onboarded(TEN_MINUTES_MS);
    const gone = w.genesys.addCredential({ name: 'Integration-gone' });
    const plan = await prepareOffboarding(request, w.deps);
    const withGone = {
      ...plan,
      integration: undefined,
      clients: [],
      secret: undefined,
      credentials: [...plan.credentials, { id: gone.id as string, why: 'test' }],
    };
    w.genesys.credentials.delete(gone.id as string);
    w.genesys.hiddenFromListing.add(credentialId);
    const described = await describeLeftovers(
      { plan: withGone, error: { Error: 'Offboarding.Incomplete', Cause: 'boom' } },
      w.deps,
    );
    expect(described.cause).toBe(
      `boom. Still there: credential ${credentialId}. Run the offboarding again to finish.`,
    );
  });
});

describe("offboarding Prepare: an onboarding's intent to install the integration", () => {
  const ANNOUNCED = 'Announced Data Actions';

  async function stoppedAfterAnnouncing() {
    const w = await stepWorld();
    // A stopped onboarding's client creation intent, its listing grace long over, announcing the integration.
    await storeRecord(w, {
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: 'acme-data-actions',
      creatingSince: w.clock.iso(-TEN_MINUTES_MS),
      runId: 'run-stopped',
      integrationCreation: { name: ANNOUNCED, runId: 'run-stopped', since: w.clock.iso(-TEN_MINUTES_MS) },
    });
    const request = {
      orgId: w.orgId,
      region: 'eu-west-1',
      bootstrapSecretId: w.bootstrapSecretId,
      force: false,
    };
    return { w, request };
  }

  it('removes a marked integration of the name the intent announces', async () => {
    const { w, request } = await stoppedAfterAnnouncing();
    const marked = w.genesys.addIntegration({ name: ANNOUNCED, config: { notes: withMarker('') } });
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.integration).toEqual({
      id: marked.id,
      why: "named in an onboarding's intent to install it and carries the ownership marker",
    });
  });

  it('leaves an unmarked integration of that name alone', async () => {
    const { w, request } = await stoppedAfterAnnouncing();
    const unmarked = w.genesys.addIntegration({ name: ANNOUNCED });
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.integration).toBeUndefined();
    expect(plan.leftAlone).toContainEqual({
      kind: 'integration',
      id: unmarked.id,
      name: ANNOUNCED,
      // Not "not created by genesys-onboarding": an onboarding re-run would take it as its own.
      why: "no ownership marker, but an onboarding's intent to install an integration of this name is in the record: it may be one that onboarding installed and stopped before marking; force, with integrationName, removes this integration",
    });
  });
});

describe('offboarding Prepare: integrations of the recorded name that no record names', () => {
  it('takes a marked one with the credential named after it; never one a record names (adopted), one of another name or an unmarked one', async () => {
    const { w, client, integration, credentialId, request } = await onboarded(TEN_MINUTES_MS);
    const marked = () => ({ config: { notes: withMarker('') } });
    const stray = w.genesys.addIntegration({ name: INTEGRATION_NAME, ...marked() });
    const strayCredential = w.genesys.addCredential({ name: credentialName(stray.id) });
    const adopted = w.genesys.addIntegration({ name: INTEGRATION_NAME, ...marked() });
    const unmarked = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    w.genesys.addIntegration({ name: 'Other Data Actions', ...marked() });
    await w.secrets.putPending(
      w.resultSecretId,
      'rotation-1',
      JSON.stringify(
        resultSecret(w, client, { integrationId: adopted.id, integrationAdopted: true, credentialId }),
      ),
    );
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.integration).toEqual({ id: integration.id, why: 'the stored record names it' });
    expect(plan.unrecordedIntegrations).toEqual([
      {
        id: stray.id,
        why: "named as the stored record's integration and carries the ownership marker, but no record names it (left by two onboardings at once)",
      },
    ]);
    expect(plan.credentials).toContainEqual({
      id: strayCredential.id,
      why: `named after our unrecorded integration (${credentialName(stray.id)})`,
    });
    expect(plan.leftAlone).toEqual([
      {
        kind: 'integration',
        id: unmarked.id,
        name: INTEGRATION_NAME,
        why: "named as the stored record's integration but not created by genesys-onboarding (no ownership marker)",
      },
    ]);
  });

  it('plans no unrecorded integration when there is none', async () => {
    const { w, request } = await onboarded(TEN_MINUTES_MS);
    const plan = await prepareOffboarding(request, w.deps);
    expect(plan.unrecordedIntegrations).toBeUndefined();
  });
});
