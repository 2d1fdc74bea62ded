import { type Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_SETTINGS, type OnboardingSettings } from '../../lib/config';
import { OnboardingStack } from '../../lib/onboarding-stack';
import { synthStack, testApp } from '../support/stack';

describe('OnboardingStack', () => {
  it('outputs the API URL (once), the state machine ARNs, event bus name, secret prefix and manifest bucket', () => {
    const { template } = synthStack();
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'ApiUrl',
      'EventBusName',
      'ManifestBucketName',
      'OffboardingStateMachineArn',
      'SecretPrefix',
      'StateMachineArn',
    ]);
    const [restApiId] = Object.keys(template.findResources('AWS::ApiGateway::RestApi'));
    const [stageId] = Object.keys(template.findResources('AWS::ApiGateway::Stage'));
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: restApiId }, { Ref: stageId }])] },
    });
  });

  it("sets the account's API Gateway CloudWatch role only when apiGatewayCloudWatchRole is on", () => {
    expect(synthStack().template.findResources('AWS::ApiGateway::Account')).toEqual({});
    synthStack({ apiGatewayCloudWatchRole: true }).template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('takes its names, retention and limits from the settings', () => {
    const { template } = synthStack({
      secretPrefix: 'acme/onboarding',
      eventBusName: 'acme-bus',
      eventSources: ['acme.crm'],
      eventAccounts: ['111122223333'],
      logRetentionDays: 90,
      executionTimeoutMinutes: 90,
    });
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'acme-bus',
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/acme-bus',
            Condition: { 'ForAllValues:StringEquals': { 'events:source': ['acme.crm'] } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['acme.crm'] } });
    const text = JSON.stringify(template.toJSON());
    expect(text).toContain('secret:acme/onboarding/*/bootstrap-??????');
    expect(text).toContain('\\"TimeoutSeconds\\":5400');
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
  });
});

describe('OnboardingStack keys', () => {
  const { template } = synthStack();
  const keyIds = Object.keys(template.findResources('AWS::KMS::Key'));

  it('encrypts the alarm topic with its own key, and the secrets key grants CloudWatch nothing', () => {
    expect(keyIds).toEqual([expect.stringMatching(/^SecretsKey/), expect.stringMatching(/^AlarmsTopicKey/)]);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] },
    });
    const secretsKey = template.findResources('AWS::KMS::Key')[keyIds[0] as string];
    expect(JSON.stringify(secretsKey?.Properties.KeyPolicy)).not.toContain('cloudwatch.amazonaws.com');
  });

  it('lets the steps reach the sandbox hosts of genesysAllowedHosts, and no other', () => {
    const allowed = (template: ReturnType<typeof synthStack>['template']) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .filter((fn) =>
          /genesys-onboarding (onboarding|offboarding)\//.test(String(fn.Properties.Description)),
        )
        .map((fn) => fn.Properties.Environment?.Variables?.GENESYS_ALLOWED_HOSTS);
    expect(new Set(allowed(synthStack().template))).toEqual(new Set([undefined]));
    const withSandbox = allowed(
      synthStack({ genesysAllowedHosts: ['gc.sandbox.example.com', '*.proxy.example.com'] }).template,
    );
    expect(withSandbox.length).toBeGreaterThanOrEqual(13);
    expect(new Set(withSandbox)).toEqual(new Set(['gc.sandbox.example.com,*.proxy.example.com']));
  });
});

describe('cdk-nag AwsSolutions checks', () => {
  const synthWithNag = (extra?: (stack: Stack) => void, settings: Partial<OnboardingSettings> = {}) => {
    const app = testApp();
    const stack = new OnboardingStack(app, 'NagStack', { settings: { ...DEFAULT_SETTINGS, ...settings } });
    extra?.(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return () => app.synth();
  };

  it('finds nothing unacknowledged', () => {
    expect(synthWithNag()).not.toThrow();
  });

  it('finds nothing unacknowledged with the account CloudWatch role opted in', () => {
    expect(synthWithNag(undefined, { apiGatewayCloudWatchRole: true })).not.toThrow();
  });

  it('does catch a finding (the check is live)', () => {
    expect(synthWithNag((stack) => new Queue(stack, 'Unencrypted', {}))).toThrow(/AwsSolutions-SQS/);
  });
});
