import type { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';

/** A state machine and a queue for constructs that only need something to point at. */
export function collaborators(stack: Stack): { stateMachine: StateMachine; queue: Queue } {
  return {
    stateMachine: new StateMachine(stack, 'Machine', {
      definitionBody: DefinitionBody.fromChainable(new Succeed(stack, 'Done')),
    }),
    queue: new Queue(stack, 'Queue', { enforceSSL: true }),
  };
}
