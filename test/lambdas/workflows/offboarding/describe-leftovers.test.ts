import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepDeps } from '../../../../lambdas/shared/deps';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import { describeLeftovers } from '../../../../lambdas/workflows/offboarding/steps/describe-leftovers';
import { stepWorld } from '../../../support/step-deps';
import { ARN, onSecretsManager, SECRET_ID, secretOnlyPlan } from './secrets-manager-fixtures';

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
    const deps = onSecretsManager(w);
    const plan = secretOnlyPlan(w);
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

describe('offboarding DescribeLeftovers: integrations', () => {
  it('names every integration of the plan still there, the unrecorded ones too', async () => {
    const w = await stepWorld();
    const stray = w.genesys.addIntegration({ name: 'CRM Data Actions' });
    const plan: OffboardingPlan = {
      ...secretOnlyPlan(w),
      integration: { id: 'integration-gone', why: 'the stored record names it' },
      unrecordedIntegrations: [{ id: stray.id, why: 'marked' }],
    };
    delete plan.secret;
    expect(await describeLeftovers({ plan, error: FAILED }, w.deps)).toEqual({
      error: 'Offboarding.Incomplete',
      cause: `boom. Still there: integration ${stray.id}. Run the offboarding again to finish.`,
    });
  });
});
