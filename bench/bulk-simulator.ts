/**
 * The simulator of the bulk benchmark in a process of its own (bench/bulk.ts forks this file), so that the
 * onboarding code reaches Genesys over HTTP as it reaches a remote service, and the CPU the simulator spends
 * answering is not counted as the onboarding's. Driven over the fork's IPC channel with `SimulatorRequest`s,
 * each answered with one `SimulatorAnswer`.
 */
import './environment';
import type { SecretStore, SecretToPut } from '../lambdas/shared/secret-store';
import { GenesysSimulator, type SimulatorOptions } from '../simulator';
import { seedOrg } from '../test/support/orgs';

export type SimulatorRequest =
  | { readonly type: 'start'; readonly options: SimulatorOptions }
  /** Adds `count` orgs; answers with each org's id, bootstrap client id and bootstrap secret to store. */
  | { readonly type: 'seed'; readonly count: number; readonly prefix: string }
  /** From the request log since `sinceEntry` and the orgs' state: what bench/bulk.ts reports. */
  | { readonly type: 'check'; readonly sinceEntry: number }
  | { readonly type: 'log-position' }
  /** This process's CPU since it started (user + system), ms. */
  | { readonly type: 'cpu' };

interface SeededBootstrap {
  readonly orgId: string;
  readonly bootstrapClientId: string;
  readonly secret: SecretToPut;
}

interface RunCheck {
  /** Orgs with exactly one OAuth client besides the bootstrap one (not deleted), one integration, one credential. */
  readonly complete: number;
  /** 429 answers since the position. */
  readonly throttled: number;
  /** The most calls (token requests and 429s not counted) made with one bootstrap client's tokens. */
  readonly maxCallsPerBootstrapClient: number;
}

export type SimulatorAnswer =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly url: string }
  | { readonly type: 'seeded'; readonly orgs: SeededBootstrap[] }
  | { readonly type: 'checked'; readonly check: RunCheck }
  | { readonly type: 'log-position'; readonly entries: number }
  | { readonly type: 'cpu'; readonly cpuMs: number }
  | { readonly type: 'error'; readonly message: string };

let simulator: GenesysSimulator | undefined;
const bootstrapClients = new Map<string, string>();

async function answer(request: SimulatorRequest): Promise<SimulatorAnswer> {
  if (request.type === 'start') {
    simulator = new GenesysSimulator(request.options);
    return { type: 'started', url: await simulator.start() };
  }
  if (request.type === 'cpu') {
    const cpu = process.cpuUsage();
    return { type: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000 };
  }
  if (!simulator) throw new Error('the simulator is not started');
  if (request.type === 'seed') {
    const orgs: SeededBootstrap[] = [];
    for (let i = 0; i < request.count; i++) {
      let secret: SecretToPut | undefined;
      const capture: Pick<SecretStore, 'put'> = {
        put: async (toPut) => {
          secret = toPut;
          return { arn: toPut.name, created: true };
        },
      };
      const seeded = await seedOrg(simulator, capture, request.prefix);
      if (!secret) throw new Error('seedOrg stored no bootstrap secret');
      bootstrapClients.set(seeded.org.id, seeded.bootstrap.clientId);
      orgs.push({ orgId: seeded.org.id, bootstrapClientId: seeded.bootstrap.clientId, secret });
    }
    return { type: 'seeded', orgs };
  }
  if (request.type === 'log-position') return { type: 'log-position', entries: simulator.requestLog.length };
  return { type: 'checked', check: check(simulator, request.sinceEntry) };
}

function check(sim: GenesysSimulator, sinceEntry: number): RunCheck {
  const log = sim.requestLog.slice(sinceEntry);
  const bootstrapIds = new Set(bootstrapClients.values());
  const perClient = new Map<string, number>();
  for (const entry of log) {
    if (entry.path === '/oauth/token' || entry.status === 429 || !entry.clientId) continue;
    if (bootstrapIds.has(entry.clientId)) {
      perClient.set(entry.clientId, (perClient.get(entry.clientId) ?? 0) + 1);
    }
  }
  let complete = 0;
  for (const [orgId, bootstrapClientId] of bootstrapClients) {
    const org = sim.org(orgId);
    const clients = [...org.clients.values()].filter(
      (c) => c.id !== bootstrapClientId && c.state !== 'deleted',
    );
    if (clients.length === 1 && org.integrations.size === 1 && org.credentials.size === 1) complete++;
  }
  return {
    complete,
    throttled: log.filter((e) => e.status === 429).length,
    maxCallsPerBootstrapClient: Math.max(0, ...perClient.values()),
  };
}

if (require.main === module) {
  process.on('message', (request: SimulatorRequest) => {
    answer(request).then(
      (reply) => process.send?.(reply),
      (error: unknown) =>
        process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => {
    void simulator?.stop().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready' } satisfies SimulatorAnswer);
}
