/** Starts and reads onboarding executions: Step Functions in the cloud. */
export interface WorkflowStarter {
  /** Starts an execution with this name; an execution of that name already there is returned, not an error. */
  start(name: string, input: unknown): Promise<{ executionArn: string; alreadyStarted: boolean }>;
  /** An execution by name, or undefined when there is none. */
  describe(name: string): Promise<ExecutionSummary | undefined>;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

export interface ExecutionSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  /** The execution's output (JSON text) when it succeeded. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}
