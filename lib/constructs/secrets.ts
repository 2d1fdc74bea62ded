import { Arn, ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';

export interface OnboardingSecretsProps {
  /** Prefix of every secret name. */
  readonly secretPrefix: string;
}

/**
 * The KMS key of the result secrets and the grants on secrets under the prefix: one helper per kind of
 * access, so each function gets exactly what its step needs.
 */
export class OnboardingSecrets extends Construct {
  readonly key: Key;
  readonly secretPrefix: string;

  constructor(scope: Construct, id: string, props: OnboardingSecretsProps) {
    super(scope, id);
    this.secretPrefix = props.secretPrefix;
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the Genesys Cloud Data Actions client secrets written by genesys-onboarding',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Acknowledges, on a grantee's policy, the one wildcard these grants need: the org id in the secret name. */
  acknowledgeSecretWildcards(
    policyScope: IConstruct,
    names: Array<'bootstrap' | 'data-actions-client'>,
  ): void {
    for (const name of names) {
      Validations.of(policyScope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretPrefix}/*/${name}-??????]`,
        reason: `One secret per Genesys org: the org id is the variable part of ${this.secretPrefix}/<orgId>/${name}, and the 6 characters are Secrets Manager's suffix`,
      });
    }
  }

  /** ARN pattern of secrets `<prefix>/<orgId>/<name>` (Secrets Manager appends `-` and 6 characters). */
  secretArns(name: 'bootstrap' | 'data-actions-client'): string {
    return Arn.format(
      {
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${this.secretPrefix}/*/${name}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
  }

  /** Read the operator's bootstrap secrets. */
  grantReadBootstrap(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.secretArns('bootstrap')],
      }),
    );
    // Operators may encrypt bootstrap secrets with this key too (or with the account's default key).
    this.key.grantDecrypt(grantee);
  }

  /** Read the Data Actions client secrets. */
  grantReadResult(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.secretArns('data-actions-client')],
      }),
    );
    this.key.grantDecrypt(grantee);
  }

  /** Create and update the Data Actions client secrets (the OAuth-client step only). */
  grantWriteResult(grantee: IGrantable): void {
    this.grantReadResult(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
          'secretsmanager:RestoreSecret',
        ],
        resources: [this.secretArns('data-actions-client')],
      }),
    );
    // What Secrets Manager needs to encrypt a secret value with this key, nothing wider.
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Delete the Data Actions client secrets (compensation only). */
  grantDeleteResult(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:DeleteSecret'],
        resources: [this.secretArns('data-actions-client')],
      }),
    );
  }
}
