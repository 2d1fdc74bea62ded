import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ONBOARDINGS } from '../../../../lambdas/api/onboardings';
import { SfnWorkflowStarter } from '../../../../lambdas/aws/executions';
import { createStartHandler } from '../../../../lambdas/handlers/api/start-handler';
import { apiEvent, lambdaContext, orgOnboardedEvent } from '../../../support/lambda';
import { SAMPLE_ORG_ID, sampleRequest } from '../../../support/requests';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Onboarding';
const ORG = SAMPLE_ORG_ID;
const body = sampleRequest();

describe('start-onboarding handler', () => {
  const sfn = mockClient(SFNClient);
  const handler = createStartHandler(ONBOARDINGS, () => ({
    starter: new SfnWorkflowStarter(MACHINE, new SFNClient({ region: 'eu-west-1' })),
    secretPrefix: 'genesys-onboarding',
  }));
  const post = (payload: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    handler(
      apiEvent({ body: typeof payload === 'string' ? payload : JSON.stringify(payload), headers }),
      lambdaContext,
    ) as Promise<{
      statusCode: number;
      body: string;
      headers: Record<string, string>;
    }>;

  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });
  });

  it('answers 202 with the onboarding, and starts the execution with the validated request', async () => {
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    const answer = JSON.parse(response.body);
    expect(answer).toEqual({
      onboardingId: expect.stringMatching(/^onb-7f3d2a9e-[0-9a-f]{40}$/),
      status: 'RUNNING',
      statusUrl: `/onboardings/${answer.onboardingId}`,
    });
    expect(response.headers.Location).toBe(answer.statusUrl);
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input?.name).toBe(answer.onboardingId);
    expect(JSON.parse(input?.input as string)).toEqual({
      request: {
        ...body,
        oauthClient: {
          ...body.oauthClient,
          description: expect.any(String),
          accessTokenValiditySeconds: 86400,
        },
        integration: { name: 'Acme Data Actions', notes: '' },
        bootstrapSecretId: `genesys-onboarding/${ORG}/bootstrap`,
        adoptExisting: false,
        renameIntegration: false,
      },
    });
  });

  it('gives the same request the same onboarding, whatever the field order', async () => {
    const first = JSON.parse((await post(body)).body).onboardingId;
    const reordered = {
      integration: body.integration,
      oauthClient: body.oauthClient,
      region: body.region,
      orgId: body.orgId,
    };
    expect(JSON.parse((await post(reordered)).body).onboardingId).toBe(first);
    const keyed = JSON.parse((await post({ ...body, idempotencyKey: 'k-1' })).body).onboardingId;
    expect(keyed).not.toBe(first);
  });

  it('returns the existing onboarding for a double submit', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: 'x', status: 'SUCCEEDED', startDate: new Date() });
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body).status).toBe('SUCCEEDED');
  });

  it('answers 400 listing every problem, and starts nothing', async () => {
    const response = await post({
      ...body,
      orgId: 'nope',
      region: 'mars 1',
      oauthClient: { name: '', roles: [] },
      extra: true,
    });
    expect(response.statusCode).toBe(400);
    const answer = JSON.parse(response.body);
    expect(answer.message).toBe('Invalid onboarding request');
    expect(answer.problems.map((p: { field: string }) => p.field)).toEqual(
      expect.arrayContaining(['orgId', 'region', 'oauthClient.name', 'oauthClient.roles', 'extra']),
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON and 415 for another content type', async () => {
    const invalid = await post('{"orgId":');
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(invalid.body).problems).toEqual([{ field: 'body', problem: 'must be valid JSON' }]);
    const xml = await post('<xml/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts from an EventBridge event with the same naming as the API', async () => {
    const fromApi = JSON.parse((await post(body)).body).onboardingId;
    const started = await handler(orgOnboardedEvent(body, 'e1'), lambdaContext);
    expect(started).toEqual({ id: fromApi, status: 'RUNNING', alreadyStarted: false });
  });

  it('throws for a bad event, so that it ends in the dead-letter queue', async () => {
    await expect(handler(orgOnboardedEvent({ orgId: ORG }, 'e2'), lambdaContext)).rejects.toMatchObject({
      name: 'Onboarding.InvalidRequest',
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
