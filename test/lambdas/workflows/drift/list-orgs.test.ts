import { DEFAULT_CONSISTENCY, type StepDeps } from '../../../../lambdas/shared/deps';
import { FLEET_ERRORS } from '../../../../lambdas/shared/fleet-errors';
import type { SecretStore, SecretSummary } from '../../../../lambdas/shared/secret-store';
import {
  listOrgs,
  MAX_ORGS_PER_CHECK,
  ORG_ID_TAG,
} from '../../../../lambdas/workflows/drift/steps/list-orgs';

const ORG_A = 'aaaaaaaa-1111-4111-8111-111111111111';
const ORG_B = 'bbbbbbbb-2222-4222-8222-222222222222';

function depsListing(secrets: SecretSummary[], seen: string[] = []): StepDeps {
  const store = {
    list: async (prefix: string) => {
      seen.push(prefix);
      return secrets;
    },
  } as unknown as SecretStore;
  return {
    secrets: store,
    genesys: () => {
      throw new Error('ListOrgs calls no Genesys API');
    },
    settings: {
      secretPrefix: 'acme/onboarding',
      maxVerifyAttempts: 1,
      consistency: DEFAULT_CONSISTENCY,
    },
  };
}
const secret = (name: string, tags: Record<string, string> = {}): SecretSummary => ({
  name,
  arn: `arn:${name}`,
  tags,
});

describe('ListOrgs', () => {
  it('finds every org with a result secret under the prefix, by its name; a tag naming another org skips it', async () => {
    const seen: string[] = [];
    const deps = depsListing(
      [
        secret(`acme/onboarding/${ORG_B}/data-actions-client`, { [ORG_ID_TAG]: ORG_B }),
        secret(`acme/onboarding/${ORG_A.toUpperCase()}/data-actions-client`),
        secret(`acme/onboarding/${ORG_A}/bootstrap`),
        secret('acme/onboarding/not-an-org/data-actions-client'),
        secret(`acme/onboarding/${ORG_A}/nested/data-actions-client`),
        secret(`acme/onboarding/${ORG_B}/data-actions-client-copy`),
        secret(`acme/onboarding/${'c'.repeat(8)}-3333-4333-8333-333333333333/data-actions-client`, {
          [ORG_ID_TAG]: ORG_A,
        }),
      ],
      seen,
    );
    expect(await listOrgs({ repair: true }, deps)).toEqual({ repair: true, orgIds: [ORG_A, ORG_B] });
    expect(seen).toEqual(['acme/onboarding/']);
  });

  it('takes {} or {repair} only, and refuses more orgs than one check holds rather than check some', async () => {
    expect(await listOrgs({}, depsListing([]))).toEqual({ repair: false, orgIds: [] });
    await expect(listOrgs({ repair: 'yes' }, depsListing([]))).rejects.toMatchObject({
      name: FLEET_ERRORS.driftInvalidInput,
    });
    await expect(listOrgs({ repair: false, orgs: 1 }, depsListing([]))).rejects.toMatchObject({
      name: FLEET_ERRORS.driftInvalidInput,
    });
    const many = Array.from({ length: MAX_ORGS_PER_CHECK + 1 }, (_, i) =>
      secret(`acme/onboarding/${String(i).padStart(8, '0')}-1111-4111-8111-111111111111/data-actions-client`),
    );
    await expect(listOrgs({}, depsListing(many))).rejects.toMatchObject({ name: FLEET_ERRORS.tooManyOrgs });
  });
});
