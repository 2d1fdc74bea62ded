import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSecretStore } from '../../../../lambdas/aws/secret-store';
import type { StepDeps } from '../../../../lambdas/shared/deps';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import { describeLeftovers } from '../../../../lambdas/workflows/offboarding/steps/describe-leftovers';
import { stepWorld } from '../../../support/step-deps';

const SECRET_ID = 'genesys-onboarding/0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4/data-actions-client';
const ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET_ID}-AbCdEf`;
const meta = { $metadata: {} };
const FAILED = { Error: 'Offboarding.Incomplete', Cause: 'boom' };

describe('offboarding DescribeLeftovers on Secrets Manager: the result secret', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  /** Step deps on Secrets Manager (holding the org's bootstrap secret), and a plan that removes only the secret. */
  async function setUp(): Promise<{ deps: StepDeps; plan: OffboardingPlan; bootstrapSecretId: string }> {
    const w = await stepWorld();
    const bootstrap = await w.secrets.get(w.bootstrapSecretId);
    sm.on(GetSecretValueCommand, { SecretId: w.bootstrapSecretId }).resolves({
      ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${w.bootstrapSecretId}-XyZ123`,
      SecretString: bootstrap?.value,
      VersionId: 'v1',
      ...meta,
    });
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
    return { deps, plan, bootstrapSecretId: w.bootstrapSecretId };
  }

  /** The Secrets Manager commands sent, by name, with their input. */
  const sent = () => sm.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);

  it('names a secret that is still there, having described it (its value is never read)', async () => {
    sm.on(DescribeSecretCommand, { SecretId: SECRET_ID }).resolves({ ARN, Name: SECRET_ID, ...meta });
    const { deps, plan, bootstrapSecretId } = await setUp();
    expect(await describeLeftovers({ plan, error: FAILED }, deps)).toEqual({
      error: 'Offboarding.Incomplete',
      cause: `boom. Still there: secret ${SECRET_ID}. Run the offboarding again to finish.`,
    });
    expect(sent()).toEqual([
      ['GetSecretValueCommand', { SecretId: bootstrapSecretId }],
      ['DescribeSecretCommand', { SecretId: SECRET_ID }],
    ]);
  });

  it.each([
    ['scheduled for deletion', () => ({ ARN, Name: SECRET_ID, DeletedDate: new Date(), ...meta })],
    ['missing', () => new ResourceNotFoundException({ message: 'no such secret', ...meta })],
  ])('counts a secret %s as gone, without reading it', async (_, answer) => {
    const reply = answer();
    if (reply instanceof Error) sm.on(DescribeSecretCommand, { SecretId: SECRET_ID }).rejects(reply);
    else sm.on(DescribeSecretCommand, { SecretId: SECRET_ID }).resolves(reply);
    const { deps, plan } = await setUp();
    expect(await describeLeftovers({ plan, error: FAILED }, deps)).toEqual({
      error: 'Offboarding.Incomplete',
      cause: 'boom. Nothing of ours is left.',
    });
    expect(sent().map(([name, input]) => [name, (input as { SecretId: string }).SecretId])).toEqual([
      ['GetSecretValueCommand', plan.bootstrapSecretId],
      ['DescribeSecretCommand', SECRET_ID],
    ]);
  });
});
