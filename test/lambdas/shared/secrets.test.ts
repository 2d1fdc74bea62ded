import { ONBOARDING_ERRORS, OnboardingError } from '../../../lambdas/shared/errors';
import {
  readBootstrapSecret,
  readResultRecord,
  readResultSecret,
  serializeResultSecret,
} from '../../../lambdas/shared/secrets';
import { MemorySecretStore } from '../../support/memory-secret-store';

const ID = 'genesys-onboarding/org/bootstrap';
const RESULT = {
  clientId: 'client-1',
  clientSecret: 'result-secret-value',
  orgId: 'org',
  region: 'eu-west-1',
  oauthClientName: 'acme',
};
const INTENT = {
  orgId: 'org',
  region: 'eu-west-1',
  oauthClientName: 'acme',
  creatingSince: '2026-03-02T10:00:00.000Z',
};

async function storeWith(value: string): Promise<{ store: MemorySecretStore; arn: string }> {
  const store = new MemorySecretStore();
  const { arn } = await store.put({ name: ID, value });
  return { store, arn };
}

describe('readBootstrapSecret', () => {
  it('reads the client id, secret, region and endpoints', async () => {
    const bootstrap = {
      clientId: 'id',
      clientSecret: 'bootstrap-secret-value',
      region: 'eu-west-1',
      apiUrl: 'https://api.mypurecloud.ie',
      loginUrl: 'https://login.mypurecloud.ie',
    };
    const { store } = await storeWith(JSON.stringify(bootstrap));
    expect(await readBootstrapSecret(store, ID)).toEqual(bootstrap);
  });

  it('refuses a missing secret, saying what to store: Onboarding.BootstrapSecretMissing', async () => {
    const error = await readBootstrapSecret(new MemorySecretStore(), ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnboardingError);
    expect(error).toMatchObject({
      name: ONBOARDING_ERRORS.bootstrapSecretMissing,
      message: `Bootstrap secret ${ID} does not exist: store {"clientId","clientSecret","region"} there first`,
    });
  });

  it.each([
    ['text that is not JSON', 'bootstrap-secret-value', 'value'],
    ['JSON that is not an object', '"bootstrap-secret-value"', 'value'],
    ['an empty secret', '{"clientId":"id","clientSecret":""}', 'clientSecret'],
    [
      'a missing client id and a bad URL',
      '{"clientSecret":"bootstrap-secret-value","apiUrl":"not a url"}',
      'clientId, apiUrl',
    ],
    ['an empty region', '{"clientId":"id","clientSecret":"bootstrap-secret-value","region":""}', 'region'],
  ])(
    'refuses %s, naming the fields and never the value: Onboarding.BootstrapSecretInvalid',
    async (_, value, fields) => {
      const { store } = await storeWith(value);
      const error = (await readBootstrapSecret(store, ID).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe(ONBOARDING_ERRORS.bootstrapSecretInvalid);
      expect(error.message).toBe(
        `Bootstrap secret ${ID} is not {"clientId","clientSecret","region"} JSON: check ${fields}`,
      );
      expect(error.message).not.toContain('bootstrap-secret-value');
    },
  );
});

describe('readResultSecret', () => {
  it('reads a complete record with its ARN', async () => {
    const { store, arn } = await storeWith(
      JSON.stringify({ ...RESULT, integrationId: 'i', credentialId: 'c' }),
    );
    expect(await readResultSecret(store, ID)).toEqual({
      arn,
      secret: { ...RESULT, integrationId: 'i', credentialId: 'c' },
    });
  });

  it.each([
    ['absent', undefined],
    ['not JSON', 'x'],
    ['a creation intent', JSON.stringify(INTENT)],
    ['without a secret', JSON.stringify({ ...RESULT, clientSecret: '' })],
  ])('answers undefined for a record that is %s', async (_, value) => {
    const store = value === undefined ? new MemorySecretStore() : (await storeWith(value)).store;
    expect(await readResultSecret(store, ID)).toBeUndefined();
  });
});

describe('readResultRecord', () => {
  it('reads a complete record', async () => {
    const { store, arn } = await storeWith(JSON.stringify(RESULT));
    expect(await readResultRecord(store, ID)).toEqual({ arn, secret: RESULT });
  });

  it('reads a creation intent', async () => {
    const { store, arn } = await storeWith(serializeResultSecret(INTENT));
    expect(await readResultRecord(store, ID)).toEqual({ arn, intent: INTENT });
  });

  it('answers nothing for an absent record and only the ARN for an unreadable one', async () => {
    expect(await readResultRecord(new MemorySecretStore(), ID)).toEqual({});
    const garbage = await storeWith('{');
    expect(await readResultRecord(garbage.store, ID)).toEqual({ arn: garbage.arn });
    const badIntent = await storeWith(JSON.stringify({ ...INTENT, creatingSince: 'yesterday' }));
    expect(await readResultRecord(badIntent.store, ID)).toEqual({ arn: badIntent.arn });
  });
});

describe('serializeResultSecret', () => {
  it('writes the record as JSON', () => {
    expect(JSON.parse(serializeResultSecret(RESULT))).toEqual(RESULT);
  });
});
