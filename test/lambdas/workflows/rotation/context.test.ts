import { randomUUID } from 'node:crypto';
import { rotationContext } from '../../../../lambdas/workflows/rotation/context';
import { type StepWorld, stepWorld, TEST_PREFIX } from '../../../support/step-deps';
import { errorOf, onboardingRequest, ourClient, resultSecret, storeRecord } from '../onboarding/fixtures';

/** Stores the org's onboarded record, made with the bootstrap secret `bootstrapSecretId`. */
async function recordOnboardedWith(w: StepWorld, bootstrapSecretId: string): Promise<void> {
  const client = ourClient(w);
  await storeRecord(
    w,
    resultSecret(w, client, {
      integrationId: 'integration-1',
      credentialId: 'credential-1',
      onboardedWith: { ...onboardingRequest(w), bootstrapSecretId },
    }),
  );
}

/** Stores the world's bootstrap credentials under `name` too (another name of the same operator secret). */
async function bootstrapSecretAlsoAt(w: StepWorld, name: string): Promise<void> {
  const stored = await w.secrets.get(w.bootstrapSecretId);
  await w.secrets.put({ name, value: stored?.value as string });
}

const event = (w: StepWorld) => ({ secretId: w.resultSecretId, token: 'token-1' });

describe('rotation context: the bootstrap secret the record names', () => {
  it('opens the session with a bootstrap secret the record names by ARN', async () => {
    const w = await stepWorld();
    const arn = (await w.secrets.get(w.bootstrapSecretId))?.arn as string;
    expect(arn).toMatch(/^arn:aws:secretsmanager:/);
    await recordOnboardedWith(w, arn);
    const context = await rotationContext(event(w), w.deps);
    expect(context.current.onboardedWith?.bootstrapSecretId).toBe(arn);
    expect(w.genesys.sessions.map((s) => s.clientId)).toEqual([w.genesys.bootstrap.id]);
  });

  it('opens the session with a bootstrap secret whose name holds the org id in upper case', async () => {
    const w = await stepWorld();
    const upperCased = `${TEST_PREFIX}/${w.orgId.toUpperCase()}/bootstrap`;
    await bootstrapSecretAlsoAt(w, upperCased);
    await recordOnboardedWith(w, upperCased);
    await rotationContext(event(w), w.deps);
    expect(w.genesys.sessions.map((s) => s.clientId)).toEqual([w.genesys.bootstrap.id]);
  });

  it("refuses a record naming another org's bootstrap secret, without opening a session", async () => {
    const w = await stepWorld();
    const othersSecret = `${TEST_PREFIX}/${randomUUID()}/bootstrap`;
    await bootstrapSecretAlsoAt(w, othersSecret);
    await recordOnboardedWith(w, othersSecret);
    const error = await errorOf(() => rotationContext(event(w), w.deps));
    expect(error.name).toBe('Onboarding.InvalidRequest');
    expect(error.message).toBe("The record names another org's bootstrap secret");
    expect(w.genesys.sessions).toEqual([]);
  });
});
