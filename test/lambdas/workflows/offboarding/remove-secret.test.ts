import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSecretStore } from '../../../../lambdas/aws/secret-store';
import type { StepDeps } from '../../../../lambdas/shared/deps';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import { removeSecret } from '../../../../lambdas/workflows/offboarding/steps/remove-secret';
import { stepWorld } from '../../../support/step-deps';

const SECRET_ID = 'genesys-onboarding/0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4/data-actions-client';
const ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET_ID}-AbCdEf`;
const meta = { $metadata: {} };

describe('offboarding RemoveSecret on Secrets Manager', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  /** Step deps on Secrets Manager, and a plan that removes the org's result secret. */
  async function setUp(): Promise<{ deps: StepDeps; plan: OffboardingPlan }> {
    const w = await stepWorld({ recoveryWindowDays: 9 });
    const deps = {
      ...w.deps,
      secrets: new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' })),
    };
    const plan: OffboardingPlan = {
      orgId: w.orgId,
      region: 'eu-west-1',
      bootstrapSecretId: w.bootstrapSecretId,
      resultSecretId: SECRET_ID,
      bootstrapClientId: w.genesys.bootstrap.id,
      credentials: [],
      clients: [],
      secret: { id: SECRET_ID, why: 'the org result secret' },
      alreadyAbsent: [],
      leftAlone: [],
    };
    return { deps, plan };
  }

  /** The Secrets Manager commands sent, by name, with their input. */
  const sent = () => sm.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);

  it('describes the secret (never reads its value), then deletes it with the recovery window', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: SECRET_ID, ...meta });
    sm.on(DeleteSecretCommand).resolves({ ARN, Name: SECRET_ID, ...meta });
    const { deps, plan } = await setUp();
    expect(await removeSecret({ plan }, deps)).toEqual({
      removed: [{ kind: 'secret', id: SECRET_ID }],
      alreadyAbsent: [],
    });
    expect(sent()).toEqual([
      ['DescribeSecretCommand', { SecretId: SECRET_ID }],
      ['DeleteSecretCommand', { SecretId: SECRET_ID, RecoveryWindowInDays: 9 }],
    ]);
  });

  it('reports a secret already scheduled for deletion (or missing) as already absent, without reading it', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: SECRET_ID, DeletedDate: new Date(), ...meta });
    sm.on(DeleteSecretCommand).rejects(new ResourceNotFoundException({ message: 'no', ...meta }));
    const { deps, plan } = await setUp();
    expect(await removeSecret({ plan }, deps)).toEqual({
      removed: [],
      alreadyAbsent: [{ kind: 'secret', id: SECRET_ID }],
    });
    expect(sent().map(([name]) => name)).toEqual(['DescribeSecretCommand', 'DeleteSecretCommand']);
  });
});
