import { randomUUID } from 'node:crypto';
import { bootstrapSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import type { GenesysSimulator } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { OrgSeed, SeededOrg } from '../../simulator/state';

/**
 * Adds an org to a running simulator and stores its bootstrap secret the way an operator would, pointing at
 * the simulator.
 */
export async function seedOrg(
  simulator: GenesysSimulator,
  store: Pick<SecretStore, 'put'>,
  prefix: string,
  seed: OrgSeed = sampleOrgSeed({ id: randomUUID(), name: 'Test org' }),
): Promise<SeededOrg> {
  const seeded = simulator.addOrg(seed);
  await store.put({
    name: bootstrapSecretName(prefix, seeded.org.id),
    value: JSON.stringify({
      ...seeded.bootstrap,
      region: 'eu-west-1',
      apiUrl: simulator.url,
      loginUrl: simulator.url,
    }),
  });
  return seeded;
}
