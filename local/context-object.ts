import type { AslDefinition, AslState } from './definitions';

const RETRY_COUNT = '$$.State.RetryCount';

/** A Retry entry of a state, as the States Language writes it. */
interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}

/** The States Language's default MaxAttempts. */
const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * A definition as the local engine runs it, and where `$$.State.RetryCount` goes in its task states' inputs.
 * aws-local-stepfunctions (3.0) builds the context object from `Execution` and what the caller passes, once
 * per execution: it has no `State`, and a path into `$$.State` fails the state with `States.Runtime`. The
 * runner therefore takes the parameters that read `$$.State.RetryCount` out of the definition the engine runs
 * and writes the count into the task's input itself (`RetryCounter`).
 */
export interface LocalDefinition {
  /** The definition without the parameters that read `$$.State.RetryCount`. */
  readonly definition: AslDefinition;
  /** Per task state, the paths in its input (keys without `.$`) that take the retry count. */
  readonly retryCountPaths: ReadonlyMap<string, readonly string[][]>;
  /** The Retry entries of those states. */
  readonly retriers: ReadonlyMap<string, readonly Retrier[]>;
}

/**
 * Prepares a definition for the local engine (see `LocalDefinition`). Throws for what the runner cannot
 * count: any other `$$.State` path, `$$.State.RetryCount` outside a task state's Parameters or in a Map's item
 * processor (its iterations share one state name), and a Retry entry of such a state that matches
 * `States.ALL` or `States.Timeout` (a task timeout happens in the engine, out of the runner's sight).
 */
export function localDefinition(definition: AslDefinition): LocalDefinition {
  const retryCountPaths = new Map<string, string[][]>();
  const retriers = new Map<string, Retrier[]>();
  const rewrite = (machine: AslDefinition, inMap: boolean): AslDefinition => ({
    ...machine,
    States: Object.fromEntries(
      Object.entries(machine.States).map(([name, state]): [string, AslState] => {
        const copy: AslState = { ...state };
        if (state.Branches) copy.Branches = state.Branches.map((branch) => rewrite(branch, inMap));
        if (state.ItemProcessor) copy.ItemProcessor = rewrite(state.ItemProcessor as AslDefinition, true);
        if (state.Type === 'Task' && state.Parameters !== undefined) {
          const paths: string[][] = [];
          copy.Parameters = withoutRetryCount(state.Parameters, [], paths);
          if (paths.length > 0) {
            const stateRetriers = (state.Retry ?? []) as Retrier[];
            const unseen = stateRetriers
              .flatMap((retrier) => retrier.ErrorEquals)
              .filter((error) => error === 'States.ALL' || error === 'States.Timeout');
            if (inMap || unseen.length > 0) {
              throw new Error(
                `The local runner cannot count the retries of state ${name}: ${inMap ? 'it runs in a Map' : `it retries ${unseen.join(', ')}`}`,
              );
            }
            retryCountPaths.set(name, paths);
            retriers.set(name, stateRetriers);
          }
        }
        return [name, copy];
      }),
    ),
  });
  const local = rewrite(definition, false);
  const left = JSON.stringify(local).match(/\$\$\.State[.\w]*/);
  if (left) throw new Error(`The local runner has no ${left[0]} (only ${RETRY_COUNT} in task Parameters)`);
  return { definition: local, retryCountPaths, retriers };
}

function withoutRetryCount(value: unknown, path: string[], paths: string[][]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries: Array<[string, unknown]> = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith('.$') && inner === RETRY_COUNT) paths.push([...path, key.slice(0, -2)]);
    else entries.push([key, withoutRetryCount(inner, [...path, key], paths)]);
  }
  return Object.fromEntries(entries);
}

/**
 * `$$.State.RetryCount` of one execution's task states, counted as Step Functions counts it (AWS Step
 * Functions, "Context object"; States Language, "Retrying after error"): 0 when the state is entered, one
 * more for each retry, whichever Retry entry made it. A failed attempt is retried when the first entry whose
 * ErrorEquals names its error (or `States.TaskFailed`) has attempts left (MaxAttempts, default 3), as the
 * engine decides it. One counter per execution; a state runs one attempt at a time.
 */
export class RetryCounter {
  private readonly states = new Map<string, { retries: number; attempts: number[]; retrying: boolean }>();

  constructor(private readonly retriers: ReadonlyMap<string, readonly Retrier[]>) {}

  /** An attempt of `stateName` starts: its RetryCount. */
  begin(stateName: string): number {
    const state = this.states.get(stateName);
    if (state?.retrying) {
      state.retrying = false;
      state.retries++;
      return state.retries;
    }
    const entered = {
      retries: 0,
      attempts: (this.retriers.get(stateName) ?? []).map(() => 0),
      retrying: false,
    };
    this.states.set(stateName, entered);
    return 0;
  }

  /** The attempt of `stateName` succeeded: the state is left. */
  succeeded(stateName: string): void {
    const state = this.states.get(stateName);
    if (state) state.retrying = false;
  }

  /** The attempt of `stateName` failed with `error`: whether the engine retries it is noted. */
  failed(stateName: string, error: unknown): void {
    const state = this.states.get(stateName);
    if (!state) return;
    state.retrying = false;
    const { name, isRetryable } = (error ?? {}) as { name?: unknown; isRetryable?: boolean };
    if (isRetryable === false) return;
    const retriers = this.retriers.get(stateName) ?? [];
    const index = retriers.findIndex((retrier) =>
      retrier.ErrorEquals.some((equals) => equals === name || equals === 'States.TaskFailed'),
    );
    const retrier = retriers[index];
    const attempts = state.attempts[index];
    if (retrier === undefined || attempts === undefined) return;
    if (attempts >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return;
    state.attempts[index] = attempts + 1;
    state.retrying = true;
  }
}

/** `input` with `value` at each of `paths` (objects made where missing). */
export function withValuesAt(input: unknown, paths: readonly string[][], value: unknown): unknown {
  let result = input;
  for (const path of paths) result = withValueAt(result, path, value);
  return result;
}

function withValueAt(input: unknown, path: readonly string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const object = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  return { ...object, [key]: withValueAt(object[key], rest, value) };
}
