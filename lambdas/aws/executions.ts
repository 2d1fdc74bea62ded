import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionStatus, ExecutionSummary, WorkflowStarter } from '../shared/executions';
import { stepFunctionsClient } from './clients/step-functions';

/** Starts and reads executions of the onboarding state machine. */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = stepFunctionsClient,
  ) {}

  async start(name: string, input: unknown): Promise<{ executionArn: string; alreadyStarted: boolean }> {
    try {
      const result = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { executionArn: result.executionArn as string, alreadyStarted: false };
    } catch (error) {
      // Execution names are unique per state machine for 90 days: the same name is the same onboarding.
      if (error instanceof ExecutionAlreadyExists) {
        return { executionArn: this.executionArn(name), alreadyStarted: true };
      }
      throw error;
    }
  }

  async describe(name: string): Promise<ExecutionSummary | undefined> {
    try {
      const result = await this.client.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(name) }),
      );
      return {
        name,
        executionArn: result.executionArn as string,
        status: result.status as ExecutionStatus,
        startDate: result.startDate,
        stopDate: result.stopDate,
        output: result.output,
        error: result.error,
        cause: result.cause,
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  /** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` -> `...:execution:<name>:<executionName>`. */
  executionArn(executionName: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
  }
}
