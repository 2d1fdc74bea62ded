import { Arn, ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';

export interface OnboardingSecretsProps {
  /** Prefix of every secret name. */
  readonly secretPrefix: string;
}

/**
 * What a step may do with the secrets under the prefix: read the operator's bootstrap secrets; read, describe
 * only, write (create, put a version, restore) or delete the result secrets (`<prefix>/<orgId>/data-actions-client`).
 */
export type SecretAccess =
  | 'read-bootstrap'
  | 'read-result'
  | 'describe-result'
  | 'write-result'
  | 'delete-result'
  | 'rotate-result'
  | 'schedule-rotation';

type SecretName = 'bootstrap' | 'data-actions-client';

const ACTIONS: Record<SecretAccess, { name: SecretName; actions: string[]; kms: string[] }> = {
  // Operators may encrypt bootstrap secrets with this key too (or with the account's default key).
  'read-bootstrap': {
    name: 'bootstrap',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    kms: ['kms:Decrypt'],
  },
  'read-result': {
    name: 'data-actions-client',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    kms: ['kms:Decrypt'],
  },
  // Whether it is there (and its versions), never its value.
  'describe-result': {
    name: 'data-actions-client',
    actions: ['secretsmanager:DescribeSecret'],
    kms: [],
  },
  // What Secrets Manager needs to encrypt a secret value with this key, nothing wider.
  'write-result': {
    name: 'data-actions-client',
    actions: [
      'secretsmanager:CreateSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:TagResource',
      'secretsmanager:RestoreSecret',
    ],
    kms: ['kms:GenerateDataKey', 'kms:Decrypt'],
  },
  // Whether it is there is described, never read: deleting needs no value.
  'delete-result': {
    name: 'data-actions-client',
    actions: ['secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret'],
    kms: [],
  },
  // The rotation function: Secrets Manager's rotation protocol (pending version, then the stage move).
  'rotate-result': {
    name: 'data-actions-client',
    actions: [
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ],
    kms: ['kms:GenerateDataKey', 'kms:Decrypt'],
  },
  // Turning rotation on for an org's secret (RotateSecret without rotating now).
  'schedule-rotation': {
    name: 'data-actions-client',
    actions: ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
    kms: [],
  },
};

/** The KMS key of the result secrets and the grants on secrets under the prefix, per kind of access. */
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

  /**
   * Grants exactly these kinds of access on secrets under the prefix, and acknowledges on the grantee the one
   * wildcard they need: the org id in `<prefix>/<orgId>/<name>`. The key's actions are granted only through
   * Secrets Manager (`kms:ViaService`): the grantee cannot decrypt or generate data keys with it directly.
   */
  grant(grantee: IGrantable & IConstruct, access: readonly SecretAccess[]): void {
    const names = new Set<SecretName>();
    const kms = new Set<string>();
    for (const kind of access) {
      const { name, actions, kms: keyActions } = ACTIONS[kind];
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions, resources: [this.secretArns(name)] }),
      );
      names.add(name);
      for (const action of keyActions) kms.add(action);
    }
    if (kms.size > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...kms],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': this.secretsManagerService } },
        }),
      );
    }
    const policyScope = (grantee as { role?: IConstruct }).role ?? grantee;
    for (const name of names) {
      Validations.of(policyScope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretPrefix}/*/${name}-??????]`,
        reason: `One secret per Genesys org: the org id is the variable part of ${this.secretPrefix}/<orgId>/${name}, and the 6 characters are Secrets Manager's suffix`,
      });
    }
  }

  /**
   * The `kms:ViaService` value of Secrets Manager in the stack's region: KMS sets it on the requests Secrets
   * Manager makes on a caller's behalf (AWS KMS developer guide, "kms:ViaService").
   */
  get secretsManagerService(): string {
    return `secretsmanager.${Stack.of(this).region}.amazonaws.com`;
  }

  /** ARN pattern of secrets `<prefix>/<orgId>/<name>` (Secrets Manager appends `-` and 6 characters). */
  secretArns(name: SecretName): string {
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
}
