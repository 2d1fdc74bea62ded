import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileSecretStore } from '../local/adapters/file-secret-store';
import { sampleRequest } from '../test/support/requests';
import type { SimulatorAnswer, SimulatorRequest } from './bulk-simulator';
import type { WorkerMessage, WorkerRun } from './bulk-worker';

const PREFIX = 'genesys-onboarding';

/**
 * The fewest calls a fresh org's onboarding makes with its bootstrap token (lambdas/workflows/onboarding/
 * steps/), from the design, not from a run: Prepare 5 (tokens/me, the role by name, the home division, one
 * page of OAuth clients, one page of integrations), EnsureOAuthClient 1 (create), EnsureIntegration 1
 * (create), Configure 3 (create the credential, PUT the known version-1 config, PATCH enabled), Record 0,
 * Verify 0 (none when the enable PATCH answers ACTIVE already; 1 per look otherwise; the new client's token is
 * another token). Token requests are not counted: the per-token limit applies to calls made with a token.
 */
export const BOOTSTRAP_CALLS_PER_ORG = 5 + 1 + 1 + 3 + 0 + 0;

/**
 * The least time a bulk run can take, from the design: every org's onboarding makes `callsPerOrg` calls with
 * its own bootstrap token, and a token allowed `requests` per `windowMs` cannot make its n-th call before
 * floor((n-1)/requests) windows have passed; `concurrency` orgs run at once, so some slot runs ceil(N /
 * concurrency) orgs one after the other.
 */
export function bulkBoundMs(
  orgs: number,
  concurrency: number,
  limit: { readonly requests: number; readonly windowMs: number },
  callsPerOrg = BOOTSTRAP_CALLS_PER_ORG,
): number {
  const perOrgMs = Math.floor((callsPerOrg - 1) / limit.requests) * limit.windowMs;
  return Math.ceil(orgs / concurrency) * perOrgMs;
}

export interface BulkFigures {
  readonly orgs: number;
  /** Orgs onboarded and found complete in the simulator (one client, integration and credential each). */
  readonly succeeded: number;
  readonly concurrency: number;
  /** Processes the orgs were spread over, `concurrency / processes` at a time each. */
  readonly processes: number;
  readonly limit: { readonly requests: number; readonly windowMs: number };
  readonly wallMs: number;
  /** `bulkBoundMs`: the least time the design allows under the rate limit. */
  readonly boundMs: number;
  /**
   * CPU of the onboarding code per org, ms: the worker processes over the run (user + system, summed), i.e.
   * the manifest parser, the bulk and onboarding engines, the steps, the Genesys client with its HTTP calls
   * and the file secret store. The simulator (a process of its own) and this process are not counted.
   */
  readonly cpuMsPerOrg: number;
  /** CPU of the simulator's process over the run per org, ms (the stand-in for Genesys's work, not ours). */
  readonly simulatorCpuMsPerOrg: number;
  /** 429 answers the simulator gave. */
  readonly throttled: number;
  /**
   * The most calls made with one org's bootstrap client (token requests and 429s not counted), over all its
   * tokens: each step function has its own (bench/bulk-worker.ts, `tokenCachePerFunction`).
   */
  readonly maxCallsPerBootstrapClient: number;
}

/**
 * `orgs` orgs, each with its own bootstrap secret, through the local bulk path (the manifest parser, the bulk
 * item processor and the onboarding state machine), `concurrency` at a time, against the simulator with a
 * per-token rate limit (429 + Retry-After), shaped as deployed where it matters to the figures:
 * - the simulator runs in a process of its own (bench/bulk-simulator.ts), reached over HTTP on 127.0.0.1 as
 *   Genesys Cloud is reached over the network;
 * - the orgs are spread over `processes` worker processes (bench/bulk-worker.ts; each runs every
 *   `processes`-th line of the manifest, `concurrency / processes` at a time), as Lambda spreads the steps
 *   over containers instead of one JavaScript thread running them all;
 * - each task state's function has its own token cache, as each Lambda function's containers have.
 * The secrets are files with no latency, and the waits and retry intervals are 5 ms.
 */
export async function bulk(
  orgs = 1_000,
  options: {
    concurrency?: number;
    limit?: { requests: number; windowMs: number };
    /** @default the machine's cores, at most `concurrency` */
    processes?: number;
  } = {},
): Promise<BulkFigures> {
  const concurrency = options.concurrency ?? 50;
  const limit = options.limit ?? { requests: 5, windowMs: 1_000 };
  const processes = Math.min(options.processes ?? availableParallelism(), concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-bulk-bench-'));
  const children: Array<IpcChild<unknown, { type: string }>> = [];
  try {
    const simulator = await IpcChild.fork<SimulatorRequest, SimulatorAnswer>('bulk-simulator.ts');
    children.push(simulator);
    await simulator.request(
      {
        type: 'start',
        options: {
          rateLimit: limit,
          activationDelayMs: 0,
          newClientDelayMs: 0,
          readAfterCreateNotFoundMs: 0,
          oauthClientListingLagMs: 0,
        },
      },
      'started',
    );
    const secrets = new FileSecretStore(dir);
    const seeded = await simulator.request({ type: 'seed', count: orgs, prefix: PREFIX }, 'seeded');
    for (const org of seeded.orgs) await secrets.put(org.secret);
    const lines = seeded.orgs.map((org) => JSON.stringify(sampleRequest(org.orgId)));
    const workers = await Promise.all(
      Array.from({ length: processes }, () => IpcChild.fork<WorkerRun, WorkerMessage>('bulk-worker.ts')),
    );
    children.push(...workers);

    const { entries: logStart } = await simulator.request({ type: 'log-position' }, 'log-position');
    const simulatorCpuStart = await simulator.request({ type: 'cpu' }, 'cpu');
    const started = performance.now();
    const results = await Promise.all(
      workers.map((worker, index) =>
        worker.request(
          {
            type: 'run',
            manifest: lines.filter((_, line) => line % processes === index).join('\n'),
            secretsDir: dir,
            concurrency: Math.ceil(concurrency / processes),
          },
          'result',
        ),
      ),
    );
    const wallMs = performance.now() - started;
    const simulatorCpuEnd = await simulator.request({ type: 'cpu' }, 'cpu');
    const { check } = await simulator.request({ type: 'check', sinceEntry: logStart }, 'checked');
    const reported = results.reduce((sum, result) => sum + result.succeeded, 0);
    return {
      orgs,
      succeeded: Math.min(reported, check.complete),
      concurrency,
      processes,
      limit,
      wallMs,
      boundMs: bulkBoundMs(orgs, concurrency, limit),
      cpuMsPerOrg: results.reduce((sum, result) => sum + result.cpuMs, 0) / orgs,
      simulatorCpuMsPerOrg: (simulatorCpuEnd.cpuMs - simulatorCpuStart.cpuMs) / orgs,
      throttled: check.throttled,
      maxCallsPerBootstrapClient: check.maxCallsPerBootstrapClient,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A file of bench/ in a child process, one request at a time over IPC: each `Request` is answered by one
 * message of type `Answer` (`{ type: 'error', message }` for a failure).
 */
class IpcChild<Request, Answer extends { readonly type: string }> {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks `file` (with this process's loader flags: tsx's) and waits for its `ready`. */
  static async fork<Request, Answer extends { readonly type: string }>(
    file: string,
  ): Promise<IpcChild<Request, Answer>> {
    const child = new IpcChild<Request, Answer>(fork(path.join(__dirname, file), [], { stdio: 'inherit' }));
    try {
      await child.next('ready');
    } catch (error) {
      await child.stop();
      throw error;
    }
    return child;
  }

  /** Sends `request` and resolves with its answer, which must be of type `expected`. */
  request<T extends Answer['type']>(request: Request, expected: T): Promise<Extract<Answer, { type: T }>> {
    const answer = this.next(expected);
    this.child.send(request as object);
    return answer;
  }

  /** Closes the channel (the child stops and exits) and waits for the exit. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    else this.child.kill();
    return exited;
  }

  private next<T extends string>(expected: T): Promise<Extract<Answer, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the child process exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (answer: Answer) => {
        this.child.off('exit', onExit);
        if (answer.type === expected) resolve(answer as Extract<Answer, { type: T }>);
        else {
          const detail = 'message' in answer ? String(answer.message) : answer.type;
          reject(new Error(`expected ${expected} from the child process, got ${detail}`));
        }
      });
    });
  }
}
