import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { SfnWorkflowStarter } from '../../../lambdas/aws/executions';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Onboarding';
const meta = { $metadata: {} };

describe('SfnWorkflowStarter', () => {
  const sfn = mockClient(SFNClient);
  const starter = new SfnWorkflowStarter(MACHINE, new SFNClient({ region: 'eu-west-1' }));
  beforeEach(() => sfn.reset());

  it('starts a named execution with JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });
    expect(await starter.start('onb-1', { a: 1 })).toEqual({
      executionArn: `${MACHINE}:x`,
      alreadyStarted: false,
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'onb-1',
      input: '{"a":1}',
    });
  });

  it('treats an existing execution of that name as the same onboarding', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    expect(await starter.start('onb-1', {})).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Onboarding:onb-1',
      alreadyStarted: true,
    });
  });

  it('describes an execution by name, or nothing', async () => {
    const startDate = new Date('2026-01-01T00:00:00Z');
    sfn
      .on(DescribeExecutionCommand, {
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Onboarding:onb-1',
      })
      .resolves({
        executionArn: 'arn:x',
        status: 'FAILED',
        startDate,
        error: 'Onboarding.MissingRoles',
        cause: 'c',
      });
    sfn
      .on(DescribeExecutionCommand, {
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Onboarding:none',
      })
      .rejects(new ExecutionDoesNotExist({ message: 'none', ...meta }));
    expect(await starter.describe('onb-1')).toMatchObject({
      status: 'FAILED',
      error: 'Onboarding.MissingRoles',
      startDate,
    });
    expect(await starter.describe('none')).toBeUndefined();
  });
});
