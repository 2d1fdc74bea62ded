import type { RecordInput } from '../../../../../lambdas/workflows/onboarding/state';
import { recordConfiguration } from '../../../../../lambdas/workflows/onboarding/steps/record-configuration';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import {
  clientOutcome,
  configureOutcome,
  integrationOutcome,
  provisioned,
  resultSecret,
  storeRecord,
} from '../fixtures';

const CLIENT = { id: 'client-x', secret: 'secret-x' };

const input = (w: StepWorld): RecordInput => ({
  ...provisioned(w, {
    client: clientOutcome({ oauthClientId: CLIENT.id }),
    integration: integrationOutcome({ integrationId: 'integration-1' }),
  }),
  configured: configureOutcome({ credentialId: 'credential-1', credentialFingerprint: 'fingerprint-1' }),
});

describe('recordConfiguration', () => {
  it('adds the integration, credential and fingerprint to the result secret, keeping the rest', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, CLIENT, { apiUrl: 'https://api.mypurecloud.ie' }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      ...resultSecret(w, CLIENT, { apiUrl: 'https://api.mypurecloud.ie' }),
      integrationId: 'integration-1',
      credentialId: 'credential-1',
      credentialFingerprint: 'fingerprint-1',
    });
    expect(w.secrets.callsOf('put')).toEqual([
      { operation: 'put', secretId: w.resultSecretId, createOnly: false },
    ]);
  });

  it.each([
    ['integration', { integrationId: 'integration-0' }],
    ['credential', { credentialId: 'credential-0' }],
    ['fingerprint', { credentialFingerprint: 'fingerprint-0' }],
  ])('rewrites a record whose %s differs', async (_, stale) => {
    const w = await stepWorld();
    const current = {
      integrationId: 'integration-1',
      credentialId: 'credential-1',
      credentialFingerprint: 'fingerprint-1',
    };
    await storeRecord(w, resultSecret(w, CLIENT, { ...current, ...stale }));
    expect(await recordConfiguration(input(w), w.deps)).toEqual({ updated: true });
    expect(w.secrets.json(w.resultSecretId)).toMatchObject(current);
  });

  it('writes nothing when the record says so already', async () => {
    const w = await stepWorld();
    await storeRecord(
      w,
      resultSecret(w, CLIENT, {
        integrationId: 'integration-1',
        credentialId: 'credential-1',
        credentialFingerprint: 'fingerprint-1',
      }),
    );
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
});
