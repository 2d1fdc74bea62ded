import { Template } from 'aws-cdk-lib/assertions';
import { OnboardingSecrets, type SecretAccess } from '../../../lib/constructs/secrets';
import { StepFunction } from '../../../lib/constructs/step-function';
import { emptyStack, statementsOf } from '../../support/stack';

describe('OnboardingSecrets', () => {
  const grantedTo = (access: SecretAccess[], prefix = 'genesys-onboarding') => {
    const stack = emptyStack();
    const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: prefix });
    new StepFunction(stack, 'Step', { handler: 'onboarding/verify', logRetention: 30 }).bindSecrets(
      secrets,
      access,
    );
    const template = Template.fromStack(stack);
    return { template, statements: statementsOf(template, 'onboarding/verify') };
  };
  const resourceOf = (name: string, prefix = 'genesys-onboarding') => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:secretsmanager:eu-west-1:123456789012:secret:${prefix}/*/${name}-??????`,
      ],
    ],
  });

  it('encrypts with a rotating customer managed key that outlives the stack', () => {
    const { template } = grantedTo([]);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it.each<[SecretAccess, string, string[], string[]]>([
    [
      'read-bootstrap',
      'bootstrap',
      ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      ['kms:Decrypt'],
    ],
    [
      'read-result',
      'data-actions-client',
      ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      ['kms:Decrypt'],
    ],
    [
      'write-result',
      'data-actions-client',
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
        'secretsmanager:RestoreSecret',
      ],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ],
    ['delete-result', 'data-actions-client', ['secretsmanager:DeleteSecret'], []],
  ])('%s grants exactly its actions on %s secrets under the prefix', (access, name, actions, kms) => {
    const { statements } = grantedTo([access]);
    const secretStatements = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements.map((st) => ({ actions: [st.Action].flat(), resource: st.Resource }))).toEqual([
      { actions, resource: resourceOf(name) },
    ]);
    const kmsActions = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('kms:'));
    expect([...new Set(kmsActions)].sort()).toEqual(kms);
  });

  it('follows the configured prefix', () => {
    const { statements } = grantedTo(['read-bootstrap'], 'acme/onboarding');
    expect(statements.map((s) => s.Resource)).toContainEqual(resourceOf('bootstrap', 'acme/onboarding'));
  });
});
