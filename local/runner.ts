import './polyfills';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { stepHandler } from '../lambdas/handlers/step-handler';
import type { StepDeps } from '../lambdas/shared/deps';
import type { ExecutionStatus, ExecutionSummary, WorkflowStarter } from '../lambdas/shared/executions';
import type { StepDefinition } from '../lambdas/shared/step';
import { type LocalDefinition, localDefinition, RetryCounter, withValuesAt } from './context-object';
import { type AslDefinition, type WorkflowName, workflowDefinitions } from './definitions';
import { stepContext } from './step-context';
import { TASKS } from './tasks';

/** An event of the local engine (its type is not exported by the package). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface LocalWorkflowOptions {
  /**
   * The steps' collaborators: one set for every invocation, or a set per invocation (called with the task
   * state's name before each), as Lambda gives each container its own caches (the benchmark's deployed shape).
   */
  readonly deps: StepDeps | ((stateName: string) => StepDeps);
  /** Replaces every Wait state's and every retrier's delay with this many ms (the simulator needs no real waits). */
  readonly fastDelaysMs?: number;
  /** Called for every state machine event, as it happens. */
  readonly onEvent?: (event: EventLog) => void;
  /** Which of the stack's state machines to run. @default onboarding */
  readonly workflow?: WorkflowName;
  /**
   * Called before each task invocation (a retry is one too), with the task state's name: an error it throws
   * fails that invocation as the step's own error would (retried or caught by its name). The CLI stops starting
   * new work this way on Ctrl-C, so the state machine's Catch runs the compensation.
   */
  readonly beforeTask?: (stateName: string) => void;
  /**
   * Handlers of the task states that call an AWS service rather than a step's function (StartExecution,
   * DescribeExecution, PutEvents), by state name: they take the state's parameters and return what the
   * service would answer, or throw an error named as Step Functions names it (`StepFunctions.*`, `States.*`).
   */
  readonly nativeTasks?: Readonly<Record<string, (input: unknown) => Promise<unknown>>>;
}

export interface LocalExecution extends ExecutionSummary {
  /** Every event of the execution: state entered/exited/failed/retried/caught, branches. */
  readonly events: EventLog[];
  /** State transitions as Step Functions bills them: states entered plus retries. */
  readonly transitions: number;
  /** Task invocations (Lambda invocations in AWS). */
  readonly invocations: number;
}

/**
 * Runs one of the stack's state machines in-process, each task calling its step's real handler (the code
 * deployed to Lambda) with local adapters.
 */
export class LocalWorkflow {
  private readonly definition: AslDefinition;
  private readonly tasks: Record<string, StepDefinition>;
  private readonly machine: StateMachine;
  private readonly local: LocalDefinition;

  constructor(private readonly options: LocalWorkflowOptions) {
    const workflow = options.workflow ?? 'onboarding';
    this.definition = workflowDefinitions()[workflow];
    this.tasks = TASKS[workflow];
    const taskStates = allStates(this.definition).filter(([, state]) => state.Type === 'Task');
    const unknown = taskStates
      .map(([name]) => name)
      .filter((name) => !this.tasks[name] && !options.nativeTasks?.[name]);
    if (unknown.length > 0) throw new Error(`no step for the ${workflow} task states ${unknown.join(', ')}`);
    ({ machine: this.machine, local: this.local } = machineOf(this.definition));
  }

  /** Runs one execution; `signal` aborts it where it stands, as a crash of the whole run would. */
  async execute(name: string, input: unknown, signal?: AbortSignal): Promise<LocalExecution> {
    const startDate = new Date();
    let invocations = 0;
    const native = Object.entries(this.options.nativeTasks ?? {}).map(([stateName, handle]) => [
      stateName,
      async (taskInput: unknown) => {
        invocations++;
        return (await handle(taskInput)) as never;
      },
    ]);
    const { deps } = this.options;
    const retries = new RetryCounter(this.local.retriers);
    const handlers = Object.fromEntries([
      ...native,
      ...Object.entries(this.tasks).map(([stateName, step]) => {
        // Collaborators per invocation make a handler per invocation, as a new container would.
        const shared = typeof deps === 'function' ? undefined : stepHandler(step, () => deps);
        const retryCountPaths = this.local.retryCountPaths.get(stateName);
        const invoke = async (taskInput: unknown) => {
          this.options.beforeTask?.(stateName);
          const handler =
            shared ?? stepHandler(step, () => (typeof deps === 'function' ? deps(stateName) : deps));
          return (await stepContext.run(stateName, () =>
            handler(taskInput, lambdaContext(step.name)),
          )) as never;
        };
        return [
          stateName,
          async (taskInput: unknown) => {
            invocations++;
            if (!retryCountPaths) return invoke(taskInput);
            const input = withValuesAt(taskInput, retryCountPaths, retries.begin(stateName));
            try {
              const output = await invoke(input);
              retries.succeeded(stateName);
              return output;
            } catch (error) {
              retries.failed(stateName, error);
              throw error;
            }
          },
        ];
      }),
    ]);
    const delays = this.options.fastDelaysMs;
    const stateNames = allStates(this.definition).map(([name]) => name);
    const execution = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(delays === undefined
          ? {}
          : {
              waitTimeOverrides: Object.fromEntries(stateNames.map((n) => [n, delays])),
              retryIntervalOverrides: Object.fromEntries(stateNames.map((n) => [n, delays])),
            }),
      },
      context: {
        // The local runner never redrives an execution.
        Execution: { Id: `local:${name}`, Name: name, StartTime: startDate.toISOString(), RedriveCount: 0 },
      } as never,
      noThrowOnAbort: true,
    });
    signal?.addEventListener('abort', () => execution.abort(), { once: true });

    const events: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) {
        events.push(event);
        this.options.onEvent?.(event);
      }
    })();

    let status: ExecutionStatus = 'SUCCEEDED';
    let output: string | undefined;
    let error: string | undefined;
    let cause: string | undefined;
    try {
      const result = await execution.result;
      if (signal?.aborted) status = 'ABORTED';
      else output = JSON.stringify(result);
    } catch (failure) {
      if (failure instanceof ExecutionTimeoutError) {
        status = 'TIMED_OUT';
        error = 'States.Timeout';
      } else {
        // ExecutionError wraps the Fail state's (or an uncaught) error: its name and cause are the run's.
        status = 'FAILED';
        const details = failure as { cause?: { name?: string; message?: string }; message?: string };
        error = details.cause?.name ?? 'States.Runtime';
        cause = details.cause?.message ?? details.message;
      }
    }
    // An aborted run's event stream is not closed by the engine: what was collected is all there is.
    if (status !== 'ABORTED') await collecting;
    const transitions = events.filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length;
    return {
      name,
      executionArn: `local:${name}`,
      status,
      startDate,
      stopDate: new Date(),
      ...(output === undefined ? {} : { output }),
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
      events,
      transitions,
      invocations,
    };
  }
}

const machines = new Map<AslDefinition, { machine: StateMachine; local: LocalDefinition }>();

/**
 * The engine's state machine of a definition (as the engine runs it: `localDefinition`), built once per
 * process: one runs any number of executions, also at once.
 */
function machineOf(definition: AslDefinition): { machine: StateMachine; local: LocalDefinition } {
  let built = machines.get(definition);
  if (!built) {
    const local = localDefinition(definition);
    // Not validated again here (about 0.7 s of ajv per definition and process): test/local/definitions.test.ts
    // validates every definition the stack builds.
    const machine = new StateMachine(local.definition as never, { validationOptions: { noValidate: true } });
    built = { machine, local };
    machines.set(definition, built);
  }
  return built;
}

/** The workflow starter port in-process: the same name is the same execution, as in Step Functions. */
export class LocalWorkflowStarter implements WorkflowStarter {
  private readonly executions = new Map<
    string,
    { running: Promise<LocalExecution>; done?: LocalExecution }
  >();

  /** `signal` aborts every execution this starter runs, where it stands (see LocalWorkflow.execute). */
  constructor(
    private readonly workflow: LocalWorkflow,
    private readonly signal?: AbortSignal,
  ) {}

  async start(name: string, input: unknown): Promise<{ executionArn: string; alreadyStarted: boolean }> {
    if (this.executions.has(name)) return { executionArn: `local:${name}`, alreadyStarted: true };
    const entry: { running: Promise<LocalExecution>; done?: LocalExecution } = {
      running: this.workflow.execute(name, input, this.signal),
    };
    entry.running = entry.running.then((done) => {
      entry.done = done;
      return done;
    });
    this.executions.set(name, entry);
    return { executionArn: `local:${name}`, alreadyStarted: false };
  }

  async describe(name: string): Promise<ExecutionSummary | undefined> {
    const entry = this.executions.get(name);
    if (!entry) return undefined;
    return entry.done ?? { name, executionArn: `local:${name}`, status: 'RUNNING' };
  }

  /** Waits for an execution to finish. */
  async wait(name: string): Promise<LocalExecution> {
    const entry = this.executions.get(name);
    if (!entry) throw new Error(`no execution ${name}`);
    return entry.running;
  }
}

/** Every state of a definition, with those of its Parallel branches and Map processors. */
function allStates(definition: AslDefinition): Array<[string, AslDefinition['States'][string]]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslDefinition['States'][string]],
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch)),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor as AslDefinition) : []),
  ]);
}

function lambdaContext(step: string): Context {
  const functionName = `genesys-${step.replace('/', '-')}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 120_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
