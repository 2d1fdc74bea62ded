import type { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { InvokeStoreBase } from '@aws/lambda-invoke-store';
import type * as XRay from 'aws-xray-sdk-core';

/**
 * Sets what Lambda sets for a Node.js function with active tracing (Lambda developer guide, "Defined runtime
 * environment variables": `AWS_EXECUTION_ENV`, `LAMBDA_TASK_ROOT`, `_HANDLER`, `AWS_XRAY_DAEMON_ADDRESS`,
 * `AWS_XRAY_CONTEXT_MISSING=LOG_ERROR`), and `POWERTOOLS_TRACE_ENABLED`. The Powertools tracer is enabled only
 * when `AWS_EXECUTION_ENV` is set, and the X-Ray SDK reads `LAMBDA_TASK_ROOT` and the daemon address when it
 * loads: call this before any module that loads them (lambdas/observability.ts).
 */
export function setLambdaEnvironment(options: { readonly daemonAddress: string }): void {
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: options.daemonAddress,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    POWERTOOLS_TRACE_ENABLED: 'true',
  });
}

/** The Lambda runtime's invocation-scoped keys (`@aws/lambda-invoke-store` PROTECTED_KEYS). */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const X_RAY_TRACE_ID = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');

/**
 * Lambda invocations in this process, traced as Lambda traces them. Lambda runs one invocation at a time per
 * process and gives each its trace header; the in-process runner runs many at once (Parallel branches,
 * several executions), so each invocation gets its own context instead: its own X-Ray segment and trace
 * header (`Root=...;Parent=...;Sampled=1`) in the X-Ray SDK's context (cls-hooked, as the SDK's own
 * middleware does per request) and in the runtime's invoke store, which Powertools and the X-Ray SDK read the
 * trace id from. Subsegments stream to the daemon as they close (Lambda mode); what is still in the segment
 * when the invocation ends (an HTTP subsegment Powertools closed in another context, or that never closed)
 * is sent with the segment, which stands in for the function segment Lambda itself sends. Create it with
 * `start()` after `setLambdaEnvironment`.
 */
export class LambdaRuntime {
  /** Trace ids of the invocations that ended (resolved or threw), in order. */
  readonly finishedTraceIds: string[] = [];
  /** Documents the X-Ray SDK reports as sent (UDP accepted them). */
  sentDocuments = 0;
  /** What the X-Ray SDK logged as errors (a document it could not send, context missing). */
  readonly sdkErrors: string[] = [];
  started = 0;

  private constructor(
    private readonly xray: typeof XRay,
    private readonly store: InvokeStoreBase,
  ) {
    xray.setLogger({
      debug: (message: unknown) => {
        if (typeof message === 'string' && /^(Sub)?[sS]egment sent: /.test(message)) this.sentDocuments++;
      },
      info: () => undefined,
      warn: (message: unknown) => console.warn(String(message)),
      error: (message: unknown) => {
        this.sdkErrors.push(String(message));
        console.error(String(message));
      },
    });
  }

  /** Loads the X-Ray SDK (as Powertools does) and the runtime's invoke store. */
  static async start(): Promise<LambdaRuntime> {
    if (!process.env.LAMBDA_TASK_ROOT) throw new Error('call setLambdaEnvironment first');
    const xray = (await import('aws-xray-sdk-core')).default;
    const { InvokeStore } = await import('@aws/lambda-invoke-store');
    // The multi-context store (AsyncLocalStorage): invocations here overlap.
    return new LambdaRuntime(xray, await InvokeStore.getInstanceAsync(true));
  }

  /** Runs `handler` as one invocation of the function named `functionName`, traced. */
  invoke<T>(functionName: string, handler: () => Promise<T>): Promise<T> {
    const segment = new this.xray.Segment(functionName);
    const traceHeader = `Root=${segment.trace_id};Parent=${segment.id};Sampled=1`;
    this.started++;
    return this.xray.getNamespace().runAndReturn(() => {
      this.xray.setSegment(segment);
      return this.store.run({ [REQUEST_ID]: randomUUID(), [X_RAY_TRACE_ID]: traceHeader }, async () => {
        try {
          return await handler();
        } finally {
          segment.close();
          // close() sends the segment only when every subsegment is closed.
          if ((segment as unknown as { counter: number }).counter > 0) segment.flush();
          this.finishedTraceIds.push(segment.trace_id);
        }
      });
    });
  }

  /**
   * Runs `action`, code of a client of the functions (a test's own request), outside every invocation: in an
   * X-Ray segment of its own that is never sent. The tracer instruments every HTTP request of the process; in
   * this segment such a request has a context (else the X-Ray SDK reports it missing) and stays out of the
   * traces.
   */
  untraced<T>(action: () => Promise<T>): Promise<T> {
    const segment = new this.xray.Segment('client of the functions (never sent)');
    return this.xray.getNamespace().runAndReturn(() => {
      this.xray.setSegment(segment);
      return action();
    });
  }

  /**
   * Makes every task a local runner runs one invocation: local/runner.ts calls each task's handler inside
   * `stepContext.run(stateName, ...)`, the one place where an invocation starts. The function is named after
   * the state.
   */
  invokeEveryStep(stepContext: AsyncLocalStorage<string>): void {
    const run = stepContext.run.bind(stepContext);
    stepContext.run = ((state: string, callback: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      run(state, () => this.invoke(state, async () => callback(...args)))) as typeof stepContext.run;
  }
}
