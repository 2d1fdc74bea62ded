import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepDeps } from '../../../../lambdas/shared/deps';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import { removeSecret } from '../../../../lambdas/workflows/offboarding/steps/remove-secret';
import { stepWorld } from '../../../support/step-deps';
import { ARN, onSecretsManager, SECRET_ID, secretOnlyPlan } from './secrets-manager-fixtures';

const meta = { $metadata: {} };

describe('offboarding RemoveSecret on Secrets Manager', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  /** Step deps on Secrets Manager, and a plan that removes the org's result secret. */
  async function setUp(): Promise<{ deps: StepDeps; plan: OffboardingPlan }> {
    const w = await stepWorld({ recoveryWindowDays: 9 });
    const deps = onSecretsManager(w);
    const plan = secretOnlyPlan(w);
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
