import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ONBOARDINGS } from '../../../../lambdas/api/onboardings';
import { SfnWorkflowStarter } from '../../../../lambdas/aws/executions';
import { createStatusHandler } from '../../../../lambdas/handlers/api/status-handler';
import { apiEvent, lambdaContext } from '../../../support/lambda';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Onboarding';
const ID = `onb-7f3d2a9e-${'a'.repeat(40)}`;

describe('get-onboarding handler', () => {
  const sfn = mockClient(SFNClient);
  const handler = createStatusHandler(
    ONBOARDINGS,
    () => new SfnWorkflowStarter(MACHINE, new SFNClient({ region: 'eu-west-1' })),
  );
  const get = async (onboardingId: string) => {
    const response = await handler(
      apiEvent({ httpMethod: 'GET', pathParameters: { onboardingId }, path: `/onboardings/${onboardingId}` }),
      lambdaContext,
    );
    return { statusCode: response.statusCode, body: JSON.parse(response.body) };
  };
  beforeEach(() => sfn.reset());

  it('returns the ids of a finished onboarding and what it changed, and nothing else', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: 'x',
      status: 'SUCCEEDED',
      startDate: new Date('2026-11-24T00:00:00Z'),
      stopDate: new Date('2026-11-24T00:00:09Z'),
      output: JSON.stringify({
        orgId: 'o',
        oauthClientId: 'c',
        integrationId: 'i',
        credentialId: 'cr',
        secretArn: 'arn:s',
        changed: { oauthClient: ['OAuth client c: adopted on request'], integration: [], extra: ['x'] },
        unexpected: 'not passed on',
      }),
    });
    const response = await get(ID);
    expect(response).toEqual({
      statusCode: 200,
      body: {
        onboardingId: ID,
        status: 'SUCCEEDED',
        startedAt: '2026-11-24T00:00:00.000Z',
        stoppedAt: '2026-11-24T00:00:09.000Z',
        result: {
          orgId: 'o',
          oauthClientId: 'c',
          integrationId: 'i',
          credentialId: 'cr',
          secretArn: 'arn:s',
          changed: { oauthClient: ['OAuth client c: adopted on request'], integration: [] },
        },
      },
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toBe(
      `arn:aws:states:eu-west-1:123456789012:execution:Onboarding:${ID}`,
    );
  });

  it('returns the error of a failed onboarding, from the JSON cause of a Lambda error', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: 'x',
      status: 'FAILED',
      startDate: new Date(),
      error: 'Onboarding.MissingRoles',
      cause: JSON.stringify({
        errorType: 'Onboarding.MissingRoles',
        errorMessage: 'lacks "Supervisor"',
        trace: ['at x'],
      }),
    });
    expect((await get(ID)).body.error).toEqual({
      error: 'Onboarding.MissingRoles',
      cause: 'lacks "Supervisor"',
    });
  });

  it('answers 404 for an unknown onboarding and 400 for a malformed id', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    expect((await get(ID)).statusCode).toBe(404);
    const bad = await get('../../etc');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.problems[0].field).toBe('onboardingId');
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
  });
});
