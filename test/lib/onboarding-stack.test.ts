import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_SETTINGS } from '../../lib/config';
import { OnboardingStack } from '../../lib/onboarding-stack';
import { synthStack } from '../support/stack';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

describe('OnboardingStack', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthStack());
  });

  /** Every policy statement attached to the role of a function whose ONBOARDING_STEP is `step`. */
  function statementsOf(step: string): Statement[] {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { ONBOARDING_STEP: step } } },
    });
    const [fn] = Object.values(functions);
    if (!fn) throw new Error(`no function for step ${step}`);
    const roleRef = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = template.findResources('AWS::IAM::Policy');
    return Object.values(policies)
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleRef))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  }
  const actionsOf = (step: string) =>
    statementsOf(step).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  describe('functions', () => {
    it('run Node.js 22 on arm64 with X-Ray and their own log group', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { ONBOARDING_STEP: Match.anyValue() } } },
      });
      expect(Object.keys(functions)).toHaveLength(8);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('keep logs for the configured retention', () => {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThanOrEqual(10);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
    });

    it('use no AWS managed policy', () => {
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
        },
      });
      for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('least privilege on secrets', () => {
    const writeActions = ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'];

    it('lets only the OAuth-client step write the result secret', () => {
      for (const step of [
        'prepare',
        'ensure-integration',
        'configure-integration',
        'verify',
        'compensate',
        'start-onboarding',
        'get-onboarding',
      ]) {
        for (const action of writeActions) expect(actionsOf(step)).not.toContain(action);
      }
      const write = statementsOf('ensure-oauth-client').find((s) =>
        [s.Action].flat().includes('secretsmanager:CreateSecret'),
      );
      expect(write?.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/*/data-actions-client-??????',
          ],
        ],
      });
    });

    it('lets only compensation delete it', () => {
      const deleters = [
        'prepare',
        'ensure-oauth-client',
        'ensure-integration',
        'configure-integration',
        'verify',
        'compensate',
      ].filter((step) => actionsOf(step).includes('secretsmanager:DeleteSecret'));
      expect(deleters).toEqual(['compensate']);
    });

    it('keeps the result secret from the steps that do not need it', () => {
      for (const step of ['prepare', 'ensure-integration']) {
        const resources = JSON.stringify(statementsOf(step).map((s) => s.Resource));
        expect(resources).not.toContain('data-actions-client');
        expect(resources).toContain('bootstrap-??????');
      }
      for (const step of ['start-onboarding', 'get-onboarding']) {
        expect(JSON.stringify(statementsOf(step))).not.toContain('secretsmanager');
      }
    });

    it('grants nothing outside the prefix', () => {
      const secretResources = [
        'prepare',
        'ensure-oauth-client',
        'configure-integration',
        'verify',
        'compensate',
      ]
        .flatMap(statementsOf)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')))
        .map((s) => JSON.stringify(s.Resource));
      expect(secretResources.length).toBeGreaterThan(5);
      for (const resource of secretResources)
        expect(resource).toMatch(/secret:genesys-onboarding\/\*\/(bootstrap|data-actions-client)-\?{6}/);
    });

    it('encrypts with a rotating customer managed key, granted narrowly', () => {
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const kmsActions = actionsOf('ensure-oauth-client').filter((a) => a.startsWith('kms:'));
      expect([...new Set(kmsActions)].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      for (const step of ['configure-integration', 'verify']) {
        expect([...new Set(actionsOf(step).filter((a) => a.startsWith('kms:')))]).toEqual(['kms:Decrypt']);
      }
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: { ONBOARDING_STEP: 'ensure-oauth-client', RESULT_SECRET_KMS_KEY_ID: Match.anyValue() },
        },
      });
    });
  });

  describe('state machine', () => {
    it('is a Standard machine with X-Ray, logging ALL without execution data, and a timeout', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    });

    it('has the designed states, a timeout, retries per error class and a catch on every task', () => {
      const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
      const text = JSON.stringify(machine?.Properties.DefinitionString);
      for (const name of [
        'Prepare',
        'Provision',
        'EnsureOAuthClient',
        'EnsureIntegration',
        'ConfigureIntegration',
        'RecordConfiguration',
        'Verify',
        'WaitForActivation',
        'Compensate',
        'OnboardingFailed',
      ]) {
        expect(text).toContain(`\\"${name}\\"`);
      }
      expect(text).toContain('\\"TimeoutSeconds\\":900');
      expect(text).toContain('Genesys.RateLimited');
      expect(text).toContain('Onboarding.CredentialsNotYetUsable');
      expect(text).toContain('Lambda.Unknown');
      expect(text).not.toContain('JSONata');
    });
  });

  describe('API', () => {
    it('authorizes every method with IAM and validates requests', () => {
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      const real = methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
      expect(real).toHaveLength(2);
      for (const method of real) {
        expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
        expect(method.Properties.RequestValidatorId).toEqual({ Ref: expect.any(String) });
      }
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        Schema: Match.objectLike({
          additionalProperties: false,
          required: ['orgId', 'region', 'oauthClient', 'integration'],
        }),
      });
    });

    it('logs access, traces, throttles, and never logs bodies', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        TracingEnabled: true,
        MethodSettings: [
          Match.objectLike({ DataTraceEnabled: false, ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
        ],
      });
    });
  });

  describe('events', () => {
    it('route "Genesys Cloud Org Onboarded" from the configured sources, with retries and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'genesys-onboarding' });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'detail-type': ['Genesys Cloud Org Onboarded'], source: ['genesys.onboarding'] },
        Targets: [
          Match.objectLike({
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
          }),
        ],
      });
    });

    it('encrypts the dead-letter queue and refuses plain transport', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  it('alarms on failed and timed-out executions and on dead letters', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('outputs the API URL, state machine ARN, event bus name and secret prefix', () => {
    for (const name of ['ApiUrl', 'StateMachineArn', 'EventBusName', 'SecretPrefix'])
      template.hasOutput(name, {});
  });

  it('takes its names from the settings', () => {
    const custom = synthStack({
      secretPrefix: 'acme/onboarding',
      eventBusName: 'acme-bus',
      eventSources: ['acme.crm'],
    });
    custom.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'acme-bus' });
    custom.template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['acme.crm'] } });
    expect(JSON.stringify(custom.template.toJSON())).toContain('secret:acme/onboarding/*/bootstrap-??????');
  });
});

describe('cdk-nag AwsSolutions checks', () => {
  const synthWithNag = (extra?: (stack: Stack) => void) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new OnboardingStack(app, 'NagStack', { settings: DEFAULT_SETTINGS });
    extra?.(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return () => app.synth();
  };

  it('finds nothing unacknowledged', () => {
    expect(synthWithNag()).not.toThrow();
  });

  it('does catch a finding (the check is live)', () => {
    expect(synthWithNag((stack) => new Queue(stack, 'Unencrypted', {}))).toThrow(/AwsSolutions-SQS/);
  });
});
