import { clearTokenCache } from '../../lambdas/genesys/auth';
import { GenesysClient, type GenesysClientOptions } from '../../lambdas/genesys/client';
import { GenesysSimulator, type SimulatorOptions } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { OrgSeed, SeededOrg } from '../../simulator/state';

export interface SimulatorFixture {
  readonly simulator: GenesysSimulator;
  readonly seeded: SeededOrg;
  client(overrides?: Partial<GenesysClientOptions>): GenesysClient;
}

/** Starts a simulator with the sample org (or the given seed) and builds clients for its bootstrap client. */
export async function startSimulator(
  options: SimulatorOptions = {},
  seed: OrgSeed = sampleOrgSeed(),
): Promise<SimulatorFixture> {
  const simulator = new GenesysSimulator(options);
  const seeded = simulator.addOrg(seed);
  const url = await simulator.start();
  return {
    simulator,
    seeded,
    client: (overrides = {}) =>
      new GenesysClient({
        region: 'eu-west-1',
        apiUrl: url,
        loginUrl: url,
        credentials: seeded.bootstrap,
        retry: { baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 2_000 },
        ...overrides,
      }),
  };
}

export { clearTokenCache };
