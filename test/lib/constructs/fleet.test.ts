import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { DefinitionBody, StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { FLEET_ERRORS } from '../../../lambdas/shared/fleet-errors';
import { BULK_STATES as B } from '../../../lambdas/workflows/bulk/states';
import {
  DRIFT_STATES as D,
  DRIFT_DETECTED_DETAIL_TYPE,
  STACK_EVENT_SOURCE,
} from '../../../lambdas/workflows/drift/contract';
import { OperationsDashboard } from '../../../lib/constructs/dashboard';
import { OnboardingEvents } from '../../../lib/constructs/events';
import { DEFAULT_FLEET_SETTINGS } from '../../../lib/fleet-config';
import { type AslDefinition, type AslState, resolveTokens } from '../../../local/definitions';
import { collaborators } from '../../support/constructs';
import { emptyStack, functionOf, grantsOf, synthStack } from '../../support/stack';

/** The fleet operations as the stack composes them: one synth, with settings other than the defaults. */
describe('FleetOperations in the stack', () => {
  const fleet = {
    ...DEFAULT_FLEET_SETTINGS,
    bulkMaxConcurrency: 25,
    bulkResultsRetentionDays: 14,
    driftCheckSchedule: 'cron(0 6 * * ? *)',
    driftCheckConcurrency: 7,
    driftRepair: true,
  };
  const { stack, template } = synthStack({ genesysAllowedHosts: ['genesys.proxy.example.com'] }, fleet);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const bulkId = logicalId(stack.fleet.bulk.stateMachine);
  const driftId = logicalId(stack.fleet.driftCheck.stateMachine);
  const bucketId = logicalId(stack.fleet.manifests.bucket);
  const definitionOf = (id: string) =>
    JSON.parse(resolveTokens(template.toJSON().Resources[id].Properties.DefinitionString)) as AslDefinition;

  describe('bulk onboarding state machine', () => {
    const definition = definitionOf(bulkId);
    const map = definition.States[B.onboardOrgs] as AslState & { ItemProcessor: AslDefinition };
    const processor = map.ItemProcessor.States;

    it('validates the manifest, maps over the valid lines, then summarizes (also when no line is valid)', () => {
      expect(definition.StartAt).toBe(B.validate);
      expect(definition.States[B.validate]).toMatchObject({
        Parameters: { 'request.$': '$.request', 'bulkId.$': '$$.Execution.Name' },
        ResultPath: '$.validation',
        Next: B.anyValid,
      });
      expect(definition.States[B.anyValid]).toMatchObject({
        Choices: [{ Variable: '$.validation.valid', NumericGreaterThan: 0, Next: B.onboardOrgs }],
        Default: B.noValidLines,
      });
      expect(definition.States[B.noValidLines]).toMatchObject({
        Result: {},
        ResultPath: '$.map',
        Next: B.summarize,
      });
      expect(map.Next).toBe(B.summarize);
      expect(definition.States[B.summarize]).toMatchObject({ End: true });
    });

    it('is a Distributed Map: the valid items from S3 (JSONL), results to S3, the configured concurrency, any failure tolerated', () => {
      expect(map).toMatchObject({
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: bucketId, 'Key.$': '$.validation.itemsKey' },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: bucketId, 'Prefix.$': "States.Format('results/{}', $$.Execution.Name)" },
        },
        MaxConcurrency: 25,
        ToleratedFailurePercentage: 100,
        Label: B.onboardOrgs,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
        ResultPath: '$.map',
      });
    });

    it('runs each org as a child onboarding (startExecution.sync:2), named as the API names it', () => {
      expect(map.ItemProcessor.StartAt).toBe(B.startOnboarding);
      expect(processor[B.startOnboarding]).toMatchObject({
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        Parameters: {
          StateMachineArn: logicalId(stack.onboarding.stateMachine),
          'Name.$': '$.executionName',
          Input: { 'request.$': '$.request' },
        },
        Catch: [
          {
            ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
            Next: B.describeEarlierRun,
          },
        ],
      });
      expect(processor[B.describeEarlierRun]).toMatchObject({
        Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution',
        Parameters: { 'ExecutionArn.$': '$.executionArn' },
      });
      expect(processor[B.earlierRunEnded]).toMatchObject({
        Choices: [
          { Variable: '$.earlier.Status', StringEquals: 'SUCCEEDED', Next: B.onboardedEarlier },
          expect.objectContaining({ Next: B.waitForEarlierRun }),
        ],
        Default: B.earlierRunDefaults,
      });
      expect(processor[B.earlierRunDefaults]).toMatchObject({
        Result: { Error: FLEET_ERRORS.earlierRunEnded },
      });
      expect(processor[B.earlierRunFailed]).toMatchObject({
        Type: 'Fail',
        ErrorPath: '$.error',
        CausePath: '$.cause',
      });
    });

    it('may start and follow onboardings and look up earlier ones, nothing else of Step Functions', () => {
      const role = template.toJSON().Resources[bulkId].Properties.RoleArn['Fn::GetAtt'][0];
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>);
      const actions = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('states:'));
      expect([...new Set(actions)].sort()).toEqual([
        'states:DescribeExecution',
        'states:RedriveExecution',
        'states:StartExecution',
        'states:StopExecution',
      ]);
    });

    it("lets its functions touch only the bucket's objects they need, with no action wildcards", () => {
      const s3 = (handler: string) =>
        grantsOf(template, handler)
          .filter((g) => g.action.startsWith('s3:'))
          .map((g) => [g.action, JSON.stringify(g.resource)]);
      const objects = (keys: string) =>
        JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${keys}`]] });
      expect(s3('bulk/validate-manifest')).toEqual([
        ['s3:GetObject', objects('*')],
        ['s3:PutObject', objects('work/*')],
        ['s3:ListBucket', JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] })],
      ]);
      expect(s3('bulk/summarize').sort()).toEqual(
        [
          ['s3:GetObject', objects('work/*')],
          ['s3:GetObject', objects('results/*')],
          ['s3:PutObject', objects('results/*')],
        ].sort(),
      );
      expect(functionOf(template, 'bulk/validate-manifest').properties.Environment).toMatchObject({
        Variables: {
          SECRET_PREFIX: 'genesys-onboarding',
          ONBOARDING_STATE_MACHINE_ARN: { Ref: logicalId(stack.onboarding.stateMachine) },
        },
      });
    });
  });

  it('keeps manifests in an encrypted, TLS-only, private bucket, and expires results and work files', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'results/', ExpirationInDays: 14, Status: 'Enabled' }),
            Match.objectLike({ Prefix: 'work/', ExpirationInDays: 14, Status: 'Enabled' }),
          ]),
        },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('serves POST and GET /bulk-onboardings: the start function knows the bucket, the status function reads map runs', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'bulk-onboardings' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{bulkOnboardingId}' });
    expect(functionOf(template, 'api/start-bulk-onboarding').properties.Environment).toMatchObject({
      Variables: { MANIFEST_BUCKET: { Ref: bucketId }, STATE_MACHINE_ARN: { Ref: bulkId } },
    });
    const reads = grantsOf(template, 'api/get-bulk-onboarding').filter((g) => g.action.startsWith('states:'));
    expect(reads.map((g) => [g.action, JSON.stringify(g.resource)])).toEqual([
      ['states:DescribeExecution', expect.stringContaining(':execution:')],
      ['states:ListMapRuns', expect.stringContaining(':execution:')],
      [
        'states:DescribeMapRun',
        JSON.stringify({
          'Fn::Join': [
            '',
            [
              'arn:aws:states:eu-west-1:123456789012:mapRun:',
              { 'Fn::GetAtt': [bulkId, 'Name'] },
              '/OnboardOrgs:*',
            ],
          ],
        }),
      ],
    ]);
  });

  describe('drift check', () => {
    const definition = definitionOf(driftId);
    const map = definition.States[D.checkOrgs] as AslState & { ItemProcessor: AslDefinition };

    it('is scheduled by EventBridge Scheduler with the configured expression and repair flag', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 6 * * ? *)',
        State: 'ENABLED',
        Target: {
          Arn: { Ref: driftId },
          Input: JSON.stringify({ repair: true }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      });
    });

    it('checks the listed orgs in a Distributed Map, the configured number at once', () => {
      expect(definition.StartAt).toBe(D.listOrgs);
      expect(map).toMatchObject({
        ItemsPath: '$.orgIds',
        ItemSelector: {
          'orgId.$': '$$.Map.Item.Value',
          'repair.$': '$.repair',
          'checkId.$': '$$.Execution.Name',
        },
        MaxConcurrency: 7,
        ToleratedFailurePercentage: 100,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      });
    });

    it('puts a "Genesys Cloud Onboarding Drift Detected" event of its own source on the stack bus per drifted org, then repairs when asked', () => {
      const states = map.ItemProcessor.States;
      expect(states[D.drifted]).toMatchObject({
        Choices: [{ Variable: '$.check.verdict', StringEquals: 'drifted', Next: D.publishDrift }],
      });
      expect(states[D.publishDrift]).toMatchObject({
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: {
          Entries: [
            {
              Source: STACK_EVENT_SOURCE,
              DetailType: DRIFT_DETECTED_DETAIL_TYPE,
              'Detail.$': '$.check.detail',
              EventBusName: expect.stringContaining(logicalId(stack.events.bus)),
            },
          ],
        },
        Next: D.repairRequested,
      });
      expect(states[D.startRepair]).toMatchObject({
        Resource: 'arn:aws:states:::states:startExecution',
        Parameters: { 'Name.$': '$.check.repair.executionName', 'Input.$': '$.check.repair.input' },
      });
    });

    it('is let through by the bus policy for its own source only, and nobody else may use that source', () => {
      const role = {
        'Fn::GetAtt': [template.toJSON().Resources[driftId].Properties.RoleArn['Fn::GetAtt'][0], 'Arn'],
      };
      template.hasResourceProperties('AWS::Events::EventBus', {
        Policy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'PutEventsFromConfiguredAccountsWithConfiguredSources',
              Condition: { 'ForAllValues:StringEquals': { 'events:source': ['genesys.onboarding'] } },
            }),
            Match.objectLike({
              Sid: 'DenyPutEventsWithOtherSources',
              Condition: {
                'ForAnyValue:StringNotEquals': {
                  'events:source': ['genesys.onboarding', STACK_EVENT_SOURCE],
                },
              },
            }),
            Match.objectLike({
              Sid: 'PutEventsOfGenesysOnboardingFromThisStack',
              Effect: 'Allow',
              Principal: { AWS: role },
              Action: 'events:PutEvents',
              Condition: { 'ForAllValues:StringEquals': { 'events:source': [STACK_EVENT_SOURCE] } },
            }),
            Match.objectLike({
              Sid: 'DenyPutEventsOfGenesysOnboardingFromOthers',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Condition: {
                'ForAnyValue:StringEquals': { 'events:source': [STACK_EVENT_SOURCE] },
                ArnNotEquals: { 'aws:PrincipalArn': [role] },
              },
            }),
          ]),
        },
      });
    });

    it('lists the result secrets (ListSecrets) and reads, never writes, secrets; each check fits 4 Genesys calls and may reach the allowed hosts', () => {
      const secrets = (handler: string) =>
        [
          ...new Set(
            grantsOf(template, handler)
              .map((g) => g.action)
              .filter((a) => a.startsWith('secretsmanager:')),
          ),
        ].sort();
      expect(secrets('drift/list-orgs')).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:ListSecrets',
      ]);
      expect(secrets('drift/check-org')).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      expect(functionOf(template, 'drift/check-org').properties.Timeout).toBe(4 * 105 + 30);
      expect(functionOf(template, 'drift/check-org').properties.Environment).toMatchObject({
        Variables: { GENESYS_ALLOWED_HOSTS: 'genesys.proxy.example.com' },
      });
    });

    it('alarms when an org drifted (DriftedOrgs, per hour) and when a check run fails', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'GenesysOnboarding',
        MetricName: 'DriftedOrgs',
        Dimensions: [{ Name: 'service', Value: 'genesys-onboarding' }],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: driftId } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: bulkId } }],
      });
    });
  });

  it('has a dashboard of onboardings, offboardings, rotations, bulk runs, drift, dead letters and Genesys rate limiting', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const text of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      logicalId(stack.onboarding.stateMachine),
      logicalId(stack.offboarding.stateMachine),
      logicalId(stack.rotation.function),
      bulkId,
      'DriftedOrgs',
      'UncheckedOrgs',
      'ApproximateNumberOfMessagesVisible',
      'GenesysRateLimited',
      'GenesysRetries',
    ]) {
      expect([text, body.includes(text)]).toEqual([text, true]);
    }
  });
});

describe('OperationsDashboard', () => {
  const titlesOf = (template: Template): string[] => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    return [...body.matchAll(/\\"title\\":\\"([^\\]+)\\"/g)].map((m) => m[1] as string);
  };

  it('shows only the onboardings, Genesys calls and dead letters when nothing else is given', () => {
    const stack = emptyStack();
    const { stateMachine, queue } = collaborators(stack);
    new OperationsDashboard(stack, 'Dashboard', { onboarding: stateMachine, deadLetterQueue: queue });
    expect(titlesOf(Template.fromStack(stack))).toEqual([
      'Onboardings',
      'Genesys Cloud calls',
      'Dead-letter queue (events that started no run)',
    ]);
  });

  it('adds offboardings, secret rotations (their function) and bulk onboardings when given', () => {
    const stack = emptyStack();
    const { stateMachine, queue } = collaborators(stack);
    const machine = (id: string) =>
      new StateMachine(stack, id, {
        definitionBody: DefinitionBody.fromChainable(new Succeed(stack, `${id}Done`)),
      });
    const rotation = new LambdaFunction(stack, 'Rotation', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
    });
    new OperationsDashboard(stack, 'Dashboard', {
      onboarding: stateMachine,
      offboarding: machine('Offboarding'),
      bulkOnboarding: machine('Bulk'),
      rotation,
      deadLetterQueue: queue,
    });
    const template = Template.fromStack(stack);
    expect(titlesOf(template)).toEqual([
      'Onboardings',
      'Offboardings',
      'Bulk onboardings',
      'Secret rotations',
      'Genesys Cloud calls',
      'Dead-letter queue (events that started no run)',
    ]);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toContain('\\"AWS/Lambda\\",\\"Errors\\"');
  });
});

describe('OnboardingEvents.allowPublisher', () => {
  it("refuses the stack's own event source when it is also a configured source (the configured accounts could put it)", () => {
    const stack = emptyStack();
    const events = new OnboardingEvents(stack, 'Events', {
      eventBusName: 'bus',
      eventSources: ['acme.crm', STACK_EVENT_SOURCE],
    });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('states.amazonaws.com') });
    expect(() => events.allowPublisher(role, STACK_EVENT_SOURCE)).toThrow(
      `The event source ${STACK_EVENT_SOURCE} is the stack's own: it cannot also be a configured source`,
    );
  });
});
