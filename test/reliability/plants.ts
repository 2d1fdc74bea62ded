import { logger, tracer } from '../../lambdas/observability';
import { isMarked, withMarker } from '../../lambdas/shared/ownership';
import { ONBOARDING_STATES } from '../../lambdas/workflows/onboarding/states';
import { currentStep } from '../../local/step-context';
import type { RunWrappers } from './harness';

/**
 * Bugs the suite must catch, planted without touching product code: each is a test-only wrapper of a run's
 * collaborators that does what the bug would do in the product, through the same Powertools logger and
 * tracer and the same Genesys client.
 */
export const PLANTS = {
  'basic-header-logged': {
    bug: "the token request's Basic header is logged (the client secret, base64-encoded)",
    how: 'a fetch that logs the Authorization header of every POST /oauth/token through the Powertools logger (DEBUG)',
    caughtBy: 'the leak scan, in the log lines',
    wrappers: {
      fetch: (next) => async (input, init) => {
        if (new URL(String(input)).pathname === '/oauth/token') {
          logger.debug('token request', { authorization: new Headers(init?.headers).get('Authorization') });
        }
        return next(input, init);
      },
    },
  },
  'client-in-trace': {
    bug: 'the created OAuth client (with its secret) is put into the tracer metadata (X-Ray)',
    how: "a Genesys client whose oauthClients.create puts its answer into the current segment's metadata",
    caughtBy: 'the leak scan, in the trace documents the X-Ray SDK sent',
    wrappers: {
      genesys: (factory) => (options) => {
        const client = factory(options);
        const create = client.oauthClients.create.bind(client.oauthClients);
        client.oauthClients.create = async (request) => {
          const created = await create(request);
          tracer.putMetadata('created client', created);
          return created;
        };
        return client;
      },
    },
  },
  'no-orphan-cleanup': {
    bug: 'the clean-up of a new client whose secret could not be stored is removed (an orphan client)',
    how: "a Genesys client whose deactivateAndDelete does nothing in EnsureOAuthClient (that step's only removal is the clean-up)",
    caughtBy:
      'the store fault matrix: the client secret write failing after the 404 window leaves a client no known bug explains',
    wrappers: {
      genesys: (factory) => (options) => {
        const client = factory(options);
        const remove = client.oauthClients.deactivateAndDelete.bind(client.oauthClients);
        client.oauthClients.deactivateAndDelete = async (clientId, removeOptions) =>
          currentStep() === ONBOARDING_STATES.ensureOAuthClient ? 'deleted' : remove(clientId, removeOptions);
        return client;
      },
    },
  },
  'ownership-check-lost': {
    bug: 'the ownership check is lost: every listed OAuth client counts as ours',
    how: "a Genesys client whose oauthClients.list gives every client's description the ownership marker",
    caughtBy:
      'the offboarding real-org case of a lost record with look-alikes: the client made by hand is removed',
    wrappers: {
      genesys: (factory) => (options) => {
        const client = factory(options);
        const list = client.oauthClients.list.bind(client.oauthClients);
        client.oauthClients.list = async () =>
          (await list()).map((listed) => ({ ...listed, description: withMarker(listed.description ?? '') }));
        return client;
      },
    },
  },
  'previous-client-removed-early': {
    bug: 'a rotation removes the previous client as soon as it has made the new one, before the integration is switched',
    how: 'a Genesys client whose oauthClients.create, when it makes a second client of a name (only a rotation does), then deactivates and deletes the other marked active clients of the name',
    caughtBy:
      "the rotation's watcher: the credential the integration is configured with gets no token once the previous client is gone",
    wrappers: {
      genesys: (factory) => (options) => {
        const client = factory(options);
        const create = client.oauthClients.create.bind(client.oauthClients);
        client.oauthClients.create = async (request) => {
          const created = await create(request);
          const others = (await client.oauthClients.list()).filter(
            (c) =>
              c.name === request.name &&
              c.id !== created.id &&
              c.state === 'active' &&
              isMarked(c.description),
          );
          for (const other of others) await client.oauthClients.deactivateAndDelete(other.id);
          return created;
        };
        return client;
      },
    },
  },
} satisfies Record<string, { bug: string; how: string; caughtBy: string; wrappers: RunWrappers }>;

export type PlantName = keyof typeof PLANTS;

export const isPlantName = (name: string): name is PlantName => name in PLANTS;
