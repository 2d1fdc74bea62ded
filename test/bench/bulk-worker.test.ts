import { tokenCachePerFunction } from '../../bench/bulk-worker';
import type { GenesysClient, GenesysClientOptions } from '../../lambdas/genesys/client';
import type { StepDeps } from '../../lambdas/shared/deps';
import { stepContext } from '../../local/step-context';

describe('tokenCachePerFunction', () => {
  const credentials = { clientId: 'bootstrap', clientSecret: 'not-a-real-secret' };
  const recording = () => {
    const seen: GenesysClientOptions[] = [];
    const deps = {
      genesys: (options: GenesysClientOptions) => {
        seen.push(options);
        return {} as GenesysClient;
      },
    } as unknown as StepDeps;
    return { seen, deps: tokenCachePerFunction(deps) };
  };
  const options = { credentials, loginUrl: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1' };

  it('gives the clients made in one task state one token cache, kept between invocations', () => {
    const { seen, deps } = recording();
    stepContext.run('Prepare', () => deps.genesys(options));
    stepContext.run('Prepare', () => deps.genesys(options));
    expect(seen).toHaveLength(2);
    expect(seen[0]?.tokenCache).toBeDefined();
    expect(seen[1]?.tokenCache).toBe(seen[0]?.tokenCache);
    expect(seen[0]?.credentials).toBe(credentials);
  });

  it('gives each task state a token cache of its own', () => {
    const { seen, deps } = recording();
    stepContext.run('Prepare', () => deps.genesys(options));
    stepContext.run('ConfigureIntegration', () => deps.genesys(options));
    deps.genesys(options);
    const caches = new Set(seen.map((o) => o.tokenCache));
    expect(caches.size).toBe(3);
  });
});
