import type { GenesysClient } from '../../../../lambdas/genesys/client';
import type { RoleDivision } from '../../../../lambdas/genesys/models';
import { credentialFingerprint } from '../../../../lambdas/shared/naming';
import { withMarker } from '../../../../lambdas/shared/ownership';
import { type OnboardingRequest, parseOnboardingRequest } from '../../../../lambdas/shared/request';
import {
  type ClientCreationIntent,
  type ResultSecret,
  serializeResultSecret,
} from '../../../../lambdas/shared/secrets';
import type { LookupContext } from '../../../../lambdas/workflows/onboarding/find-ours';
import type {
  ClientDecision,
  ClientOutcome,
  ConfigureOutcome,
  IntegrationDecision,
  IntegrationOutcome,
  OnboardingPlan,
  ProvisionedInput,
} from '../../../../lambdas/workflows/onboarding/state';
import type { FakeOAuthClient } from '../../../support/fake-genesys';
import { type StepWorld, TEST_PREFIX } from '../../../support/step-deps';

export const CLIENT_NAME = 'acme-data-actions';
export const INTEGRATION_NAME = 'Acme Data Actions';
export const ROLE_DIVISIONS: RoleDivision[] = [{ roleId: 'role-a', divisionId: 'division-home' }];

/** A Genesys client of the world's org as the bootstrap client, as the steps open it. */
export function bootstrapApi(world: StepWorld): GenesysClient {
  return world.genesys.factory({
    region: 'eu-west-1',
    credentials: { clientId: world.genesys.bootstrap.id, clientSecret: world.genesys.bootstrap.secret },
  });
}

/** A validated onboarding request for the world's org, as the edge would pass it on. */
export function onboardingRequest(
  world: StepWorld,
  overrides: Record<string, unknown> = {},
): OnboardingRequest {
  return parseOnboardingRequest(
    {
      orgId: world.orgId,
      region: 'eu-west-1',
      oauthClient: { name: CLIENT_NAME, roles: ['Data Actions Role'] },
      integration: { name: INTEGRATION_NAME },
      ...overrides,
    },
    { secretPrefix: TEST_PREFIX },
  );
}

/** What Prepare resolves before its lookups, for the world's org. */
export function lookupContext(world: StepWorld, overrides: Partial<LookupContext> = {}): LookupContext {
  return {
    orgId: world.orgId,
    region: 'eu-west-1',
    bootstrapSecretId: world.bootstrapSecretId,
    resultSecretId: world.resultSecretId,
    runId: 'run-1',
    bootstrapClientId: world.genesys.bootstrap.id,
    adoptExisting: false,
    renameIntegration: false,
    oauthClient: {
      name: CLIENT_NAME,
      description: 'Used by the Genesys Cloud Data Actions integration',
      accessTokenValiditySeconds: 86_400,
    },
    integration: { name: INTEGRATION_NAME, notes: '' },
    ...overrides,
  };
}

/** A plan with Prepare's findings (default: create both). */
export function plan(
  world: StepWorld,
  found: { client?: ClientDecision; integration?: IntegrationDecision } = {},
  overrides: Partial<Omit<OnboardingPlan, 'found' | 'request'>> = {},
): OnboardingPlan {
  const { oauthClient, ...rest } = overrides;
  const context = lookupContext(world, rest);
  return {
    ...context,
    oauthClient: { ...context.oauthClient, roleDivisions: ROLE_DIVISIONS, ...oauthClient },
    request: onboardingRequest(world),
    found: {
      client: found.client ?? { action: 'create' },
      integration: found.integration ?? { action: 'create' },
    },
  };
}

/** A client of the plan's name that this project made (marked), converged with the plan. */
export function ourClient(world: StepWorld, overrides: Partial<FakeOAuthClient> = {}): FakeOAuthClient {
  return world.genesys.addClient({
    name: CLIENT_NAME,
    description: withMarker('Used by the Genesys Cloud Data Actions integration'),
    roleDivisions: structuredClone(ROLE_DIVISIONS),
    accessTokenValiditySeconds: 86_400,
    dateCreated: '2026-01-10T08:00:00.000Z',
    ...overrides,
  });
}

/** Prepare's decision to use `client` on `basis`, as find-ours makes it. */
export function useClient(
  client: FakeOAuthClient,
  basis: 'recorded' | 'marked' | 'adopted' = 'recorded',
): Extract<ClientDecision, { action: 'use' }> {
  return {
    action: 'use',
    oauthClientId: client.id,
    basis,
    current: {
      description: client.description ?? '',
      accessTokenValiditySeconds: client.accessTokenValiditySeconds,
      state: client.state ?? 'active',
      roleDivisions: structuredClone(client.roleDivisions ?? []),
      ...(client.dateCreated ? { dateCreated: client.dateCreated } : {}),
    },
  };
}

/** The org's result secret for `client`, as the OAuth-client step writes it, plus `extra`. */
export function resultSecret(
  world: StepWorld,
  client: { id: string; secret: string },
  extra: Partial<ResultSecret> = {},
): ResultSecret {
  return {
    clientId: client.id,
    clientSecret: client.secret,
    orgId: world.orgId,
    region: 'eu-west-1',
    oauthClientName: CLIENT_NAME,
    ...extra,
  };
}

/** Stores the result secret (or a creation intent) and forgets the store's calls so far. */
export async function storeRecord(
  world: StepWorld,
  value: ResultSecret | ClientCreationIntent,
): Promise<string> {
  const { arn } = await world.secrets.put({
    name: world.resultSecretId,
    value: serializeResultSecret(value),
  });
  world.secrets.calls.length = 0;
  return arn;
}

/** A creation intent that started `agoMs` before the clock's now. */
export function intent(world: StepWorld, agoMs: number): ClientCreationIntent {
  return {
    orgId: world.orgId,
    region: 'eu-west-1',
    oauthClientName: CLIENT_NAME,
    creatingSince: world.clock.iso(-agoMs),
  };
}

export function clientOutcome(overrides: Partial<ClientOutcome> = {}): ClientOutcome {
  return {
    oauthClientId: 'client-x',
    clientCreated: false,
    secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:unused-abcdef',
    secretCreated: false,
    credentialsVerified: false,
    changes: [],
    ...overrides,
  };
}

export function integrationOutcome(overrides: Partial<IntegrationOutcome> = {}): IntegrationOutcome {
  return {
    integrationId: 'integration-x',
    integrationCreated: false,
    credentialByName: false,
    rename: false,
    changes: [],
    intendedState: 'DISABLED',
    ...overrides,
  };
}

export function configureOutcome(overrides: Partial<ConfigureOutcome> = {}): ConfigureOutcome {
  return {
    credentialId: 'credential-x',
    credentialFingerprint: credentialFingerprint('client-x', 'secret-x'),
    credentialCreated: false,
    credentialUpdated: false,
    configUpdated: false,
    enabled: false,
    changes: [],
    ...overrides,
  };
}

/** Configure's and Verify's input. */
export function provisioned(
  world: StepWorld,
  parts: Partial<Omit<ProvisionedInput, 'plan'>> = {},
  planOverrides: Partial<Omit<OnboardingPlan, 'found' | 'request'>> = {},
): ProvisionedInput {
  return {
    plan: plan(world, {}, planOverrides),
    client: parts.client ?? clientOutcome(),
    integration: parts.integration ?? integrationOutcome(),
    ...(parts.configured ? { configured: parts.configured } : {}),
    ...(parts.verification ? { verification: parts.verification } : {}),
  };
}

/** Calls `run` and returns what it threw (fails the test when it does not throw). */
export async function errorOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, but it succeeded');
}
