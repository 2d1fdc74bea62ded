import { Template } from 'aws-cdk-lib/assertions';
import { STEP_ERROR_NAMES } from '../../../lambdas/genesys/errors';
import { DEFAULT_CONSISTENCY } from '../../../lambdas/shared/deps';
import { ONBOARDING_ERRORS } from '../../../lambdas/shared/errors';
import { SECRET_STORE_TRANSIENT } from '../../../lambdas/shared/secret-store';
import { OFFBOARDING_STATES as S } from '../../../lambdas/workflows/offboarding/states';
import { OffboardingStateMachine } from '../../../lib/constructs/offboarding-state-machine';
import { OnboardingSecrets } from '../../../lib/constructs/secrets';
import { type AslDefinition, type AslState, resolveTokens } from '../../../local/definitions';
import { emptyStack, functionOf, grantsOf } from '../../support/stack';

describe('OffboardingStateMachine', () => {
  const stack = emptyStack();
  const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: 'genesys-onboarding' });
  new OffboardingStateMachine(stack, 'Offboarding', { secrets, logRetention: 30 });
  const template = Template.fromStack(stack);
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const definition = JSON.parse(resolveTokens(machine?.Properties.DefinitionString)) as AslDefinition;
  const states: Record<string, AslState> = definition.States;
  type Retrier = { ErrorEquals: string[]; MaxAttempts: number; IntervalSeconds: number; BackoffRate: number };

  it("gives Prepare's Lambda its 8 Genesys calls of 105 s, the 20 s watch for an intent's client and 30 s: 890 s, task 920 s", () => {
    expect(functionOf(template, 'offboarding/prepare').properties.Timeout).toBe(8 * 105 + 20 + 30);
    expect(states[S.prepare]?.TimeoutSeconds).toBe(920);
  });

  it('retries Prepare while the client of a creation intent may not be listed yet, until the watches cover the grace', () => {
    const retriers = (states[S.prepare]?.Retry ?? []) as Retrier[];
    const pending = retriers.find((r) => r.ErrorEquals.includes(ONBOARDING_ERRORS.clientCreationPending));
    expect(pending).toMatchObject({
      ErrorEquals: [ONBOARDING_ERRORS.clientCreationPending],
      MaxAttempts: 4,
      IntervalSeconds: 2,
      BackoffRate: 1,
    });
    const attempts = (pending?.MaxAttempts ?? 0) + 1;
    expect(attempts * DEFAULT_CONSISTENCY.clientCreationWatchMs).toBeGreaterThan(
      DEFAULT_CONSISTENCY.clientListingGraceMs + DEFAULT_CONSISTENCY.clientCreationWatchMs,
    );
  });

  it('retries DescribeLeftovers on each lookup failure the step throws, and on running out fails with the error that stopped the run', () => {
    const errors = ((states[S.describeLeftovers]?.Retry ?? []) as Retrier[]).flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(
      expect.arrayContaining([
        STEP_ERROR_NAMES.transient,
        STEP_ERROR_NAMES['rate-limited'],
        SECRET_STORE_TRANSIENT,
      ]),
    );
    const catchers = (states[S.describeLeftovers]?.Catch ?? []) as Array<{
      ErrorEquals: string[];
      Next: string;
    }>;
    expect(catchers).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
    expect(states[catchers[0]?.Next ?? '']).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it("lets RemoveSecret describe and delete the org's result secret, never read its value", () => {
    const resource =
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/*/data-actions-client-??????';
    const onSecretsOrKeys = grantsOf(template, 'offboarding/remove-secret').filter((grant) =>
      /^(secretsmanager|kms):/.test(grant.action),
    );
    expect(onSecretsOrKeys.sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { action: 'secretsmanager:DeleteSecret', resource },
      { action: 'secretsmanager:DescribeSecret', resource },
    ]);
  });

  it('lets DescribeLeftovers describe the result secret, never read its value; it reads only the bootstrap secret', () => {
    const arn = (name: string) =>
      `arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/*/${name}-??????`;
    const onSecretsOrKeys = grantsOf(template, 'offboarding/describe-leftovers')
      .filter((grant) => /^(secretsmanager|kms):/.test(grant.action))
      .map(({ action, resource }) => ({ action, resource }));
    // kms:Decrypt through Secrets Manager stays for the bootstrap secret, which operators may encrypt with the key.
    expect(
      onSecretsOrKeys.sort((a, b) => `${a.action}${a.resource}`.localeCompare(`${b.action}${b.resource}`)),
    ).toEqual([
      { action: 'kms:Decrypt', resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretsKey/), 'Arn'] } },
      { action: 'secretsmanager:DescribeSecret', resource: arn('bootstrap') },
      { action: 'secretsmanager:DescribeSecret', resource: arn('data-actions-client') },
      { action: 'secretsmanager:GetSecretValue', resource: arn('bootstrap') },
    ]);
  });
});
