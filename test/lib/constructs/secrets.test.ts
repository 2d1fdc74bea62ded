import { Match, Template } from 'aws-cdk-lib/assertions';
import { OnboardingSecrets, type SecretAccess } from '../../../lib/constructs/secrets';
import { StepFunction } from '../../../lib/constructs/step-function';
import { emptyStack, grantsOf } from '../../support/stack';

describe('OnboardingSecrets', () => {
  const grantedTo = (access: SecretAccess[], prefix = 'genesys-onboarding') => {
    const stack = emptyStack();
    const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: prefix });
    new StepFunction(stack, 'Step', { handler: 'onboarding/verify', logRetention: 30 }).bindSecrets(
      secrets,
      access,
    );
    const template = Template.fromStack(stack);
    return { template, grants: grantsOf(template, 'onboarding/verify') };
  };
  const resourceOf = (name: string, prefix = 'genesys-onboarding') =>
    `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${prefix}/*/${name}-??????`;

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
    ['describe-result', 'data-actions-client', ['secretsmanager:DescribeSecret'], []],
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
    [
      'delete-result',
      'data-actions-client',
      ['secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret'],
      [],
    ],
    [
      'rotate-result',
      'data-actions-client',
      [
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ],
    [
      'schedule-rotation',
      'data-actions-client',
      ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
      [],
    ],
  ])('%s grants exactly its actions on %s secrets under the prefix', (access, name, actions, kms) => {
    const { grants } = grantedTo([access]);
    const secretGrants = grants.filter((grant) => grant.action.startsWith('secretsmanager:'));
    expect(secretGrants).toHaveLength(actions.length);
    expect(secretGrants).toEqual(
      expect.arrayContaining(actions.map((action) => ({ action, resource: resourceOf(name) }))),
    );
    const kmsGrants = grants.filter((grant) => grant.action.startsWith('kms:'));
    expect(kmsGrants.map((grant) => grant.action).sort()).toEqual(kms);
    for (const grant of kmsGrants) {
      expect(grant).toEqual({
        action: grant.action,
        resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretsKey/), 'Arn'] },
        condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      });
    }
  });

  it('lets the key be used only through Secrets Manager: no grant without kms:ViaService, none in the key policy', () => {
    const { template, grants } = grantedTo([
      'read-bootstrap',
      'read-result',
      'write-result',
      'delete-result',
    ]);
    const kmsGrants = grants.filter((grant) => grant.action.startsWith('kms:'));
    expect(kmsGrants.length).toBeGreaterThan(0);
    expect(kmsGrants.filter((grant) => grant.condition === undefined)).toEqual([]);
    // The default key policy only: the account, whose IAM policies decide (with the condition above).
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } })] },
    });
  });

  it('follows the configured prefix', () => {
    const { grants } = grantedTo(['read-bootstrap'], 'acme/onboarding');
    expect(grants.map((grant) => grant.resource)).toContainEqual(resourceOf('bootstrap', 'acme/onboarding'));
  });
});
