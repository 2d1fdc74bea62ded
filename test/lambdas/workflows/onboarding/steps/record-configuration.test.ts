import type { RecordInput } from '../../../../../lambdas/workflows/onboarding/state';
import { recordConfiguration } from '../../../../../lambdas/workflows/onboarding/steps/record-configuration';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import {
  clientOutcome,
  configureOutcome,
  integrationOutcome,
  onboardingRequest,
  provisioned,
  resultSecret,
  storeRecord,
} from '../fixtures';

const CLIENT = { id: 'client-x', secret: 'secret-x' };
const ROTATION = { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate', everyDays: 30 };

const input = (w: StepWorld): RecordInput => ({
  ...provisioned(w, {
    client: clientOutcome({ oauthClientId: CLIENT.id }),
    integration: integrationOutcome({ integrationId: 'integration-1' }),
  }),
  configured: configureOutcome({ credentialId: 'credential-1', credentialFingerprint: 'fingerprint-1' }),
});

/** What the record holds once this input is recorded (besides the client's own fields). */
const recorded = (w: StepWorld) => ({
  integrationId: 'integration-1',
  credentialId: 'credential-1',
  credentialFingerprint: 'fingerprint-1',
  onboardedWith: onboardingRequest(w),
});

describe('recordConfiguration', () => {
  it('adds the integration, credential, fingerprint, request and time to the result secret, keeping the rest', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, CLIENT, { apiUrl: 'https://api.mypurecloud.ie' }));
    w.clock.advance(5_000);
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      ...resultSecret(w, CLIENT, { apiUrl: 'https://api.mypurecloud.ie' }),
      ...recorded(w),
      recordedAt: '2026-03-02T10:00:05.000Z',
    });
    expect(w.secrets.callsOf('put')).toEqual([
      { operation: 'put', secretId: w.resultSecretId, createOnly: false },
    ]);
  });

  it.each<[string, (w: StepWorld) => Record<string, unknown>]>([
    ['integration', () => ({ integrationId: 'integration-0' })],
    ['credential', () => ({ credentialId: 'credential-0' })],
    ['fingerprint', () => ({ credentialFingerprint: 'fingerprint-0' })],
    ['request', (w) => ({ onboardedWith: onboardingRequest(w, { integration: { name: 'Acme (old)' } }) })],
  ])('rewrites a record whose %s differs', async (_, stale) => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, CLIENT, { ...recorded(w), ...stale(w) }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).toMatchObject(recorded(w));
  });

  it.each([true, false])(
    'records integrationAdopted: %s, and rewrites a record of another origin',
    async (adopted) => {
      const w = await stepWorld();
      await storeRecord(w, resultSecret(w, CLIENT, { ...recorded(w), integrationAdopted: !adopted }));
      const adoptedInput: RecordInput = {
        ...input(w),
        integration: integrationOutcome({ integrationId: 'integration-1', integrationAdopted: adopted }),
      };
      expect(await recordConfiguration(adoptedInput, w.deps)).toEqual({ updated: true });
      expect(w.secrets.json(w.resultSecretId)).toMatchObject({ ...recorded(w), integrationAdopted: adopted });
    },
  );

  it('drops the intent to install the integration, also from a record that otherwise says so already', async () => {
    const w = await stepWorld();
    const creation = { name: 'Acme Data Actions', runId: 'run-1', since: w.clock.iso() };
    await storeRecord(w, resultSecret(w, CLIENT, { ...recorded(w), integrationCreation: creation }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      ...resultSecret(w, CLIENT, recorded(w)),
      recordedAt: w.clock.iso(),
    });
  });

  it('keeps integrationAdopted out of the record while the origin is unknown', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, CLIENT, { ...recorded(w), integrationAdopted: true }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).not.toHaveProperty('integrationAdopted');
  });

  it('writes nothing when the record says so already', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, CLIENT, recorded(w)));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: false });
    expect(w.secrets.callsOf('put')).toEqual([]);
  });

  it('writes nothing when the result secret is missing', async () => {
    const w = await stepWorld();
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: false });
    expect(w.secrets.callsOf('put')).toEqual([]);
  });

  it('writes nothing over the record of another client (a run that replaced it since)', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, { id: 'client-other', secret: 'other' }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: false });
    expect(w.secrets.callsOf('put')).toEqual([]);
    expect(w.secrets.json(w.resultSecretId)).toEqual(
      resultSecret(w, { id: 'client-other', secret: 'other' }),
    );
  });

  it('reads and writes nothing during a rotation (the rotation writes the record when it finishes)', async () => {
    const w = await stepWorld({ rotation: ROTATION });
    await storeRecord(w, resultSecret(w, CLIENT));
    const during: RecordInput = {
      ...input(w),
      plan: {
        ...input(w).plan,
        rotation: {
          pendingClientId: 'client-new',
          liveClientId: CLIENT.id,
          liveCredentialId: 'credential-1',
        },
      },
    };
    w.secrets.calls.length = 0;
    expect(await recordConfiguration(during, w.deps)).toEqual({ updated: false });
    expect(w.secrets.calls).toEqual([]);
  });

  describe('rotation schedule', () => {
    it('schedules none without rotation settings (local runs)', async () => {
      const w = await stepWorld();
      await storeRecord(w, resultSecret(w, CLIENT));
      expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
      expect(w.secrets.callsOf('scheduleRotation')).toEqual([]);
    });

    it("schedules the stack's rotation function on a secret without rotation", async () => {
      const w = await stepWorld({ rotation: ROTATION });
      await storeRecord(w, resultSecret(w, CLIENT));
      expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true, rotationScheduled: true });
      expect((await w.secrets.describe(w.resultSecretId))?.rotation).toEqual({
        enabled: true,
        everyDays: 30,
      });
      expect(w.secrets.metadata(w.resultSecretId)?.rotationLambdaArn).toBe(ROTATION.lambdaArn);
    });

    it('schedules again when the secret rotates at another interval', async () => {
      const w = await stepWorld({ rotation: ROTATION });
      await storeRecord(w, resultSecret(w, CLIENT, recorded(w)));
      w.secrets.setRotation(w.resultSecretId, { enabled: true, everyDays: 90 });
      expect(await recordConfiguration(input(w), w.deps)).toEqual({
        updated: false,
        rotationScheduled: true,
      });
      expect((await w.secrets.describe(w.resultSecretId))?.rotation).toEqual({
        enabled: true,
        everyDays: 30,
      });
    });

    it('schedules again when rotation is configured but disabled', async () => {
      const w = await stepWorld({ rotation: ROTATION });
      await storeRecord(w, resultSecret(w, CLIENT, recorded(w)));
      w.secrets.setRotation(w.resultSecretId, { enabled: false, everyDays: 30 });
      expect(await recordConfiguration(input(w), w.deps)).toEqual({
        updated: false,
        rotationScheduled: true,
      });
    });

    it('leaves a secret alone that already rotates at that interval', async () => {
      const w = await stepWorld({ rotation: ROTATION });
      await storeRecord(w, resultSecret(w, CLIENT, recorded(w)));
      w.secrets.setRotation(w.resultSecretId, { enabled: true, everyDays: 30 });
      expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: false });
      expect(w.secrets.callsOf('scheduleRotation')).toEqual([]);
    });

    it('reports no schedule when the store has no scheduler (file store)', async () => {
      const w = await stepWorld({ rotation: ROTATION });
      await storeRecord(w, resultSecret(w, CLIENT, recorded(w)));
      w.secrets.scheduleRotation = async () => false;
      expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: false });
    });
  });
});
