/**
 * The Prepare step built on the official JavaScript SDK (purecloud-platform-client-v2) instead of this
 * project's client: the same middy/Powertools handler, the same checks, for the cold-start comparison.
 */

import { randomUUID } from 'node:crypto';
import { awsStepDeps } from '../../lambdas/handlers/aws-deps';
import { awsStepHandler } from '../../lambdas/handlers/step-handler';
import { bootstrapSecretName, resultSecretName } from '../../lambdas/shared/naming';
import { type OnboardingRequest, validatedOnboardingRequestSchema } from '../../lambdas/shared/request';
import { readBootstrapSecret } from '../../lambdas/shared/secrets';
import { defineStep } from '../../lambdas/shared/step';
import type { OnboardingPlan } from '../../lambdas/workflows/onboarding/state';

interface Sdk {
  ApiClient: {
    instance: {
      setEnvironment(host: string): void;
      loginClientCredentialsGrant(id: string, secret: string): Promise<unknown>;
    };
  };
  TokensApi: new () => {
    getTokensMe(): Promise<{
      organization?: { id?: string };
      OAuthClient?: { id?: string; roleDivisions?: Array<{ roleId: string; divisionId: string }> };
    }>;
  };
  OAuthApi: new () => { getOauthClients(): Promise<{ entities?: Array<{ name?: string }> }> };
  IntegrationsApi: new () => {
    getIntegrations(opts: Record<string, unknown>): Promise<{ entities?: Array<{ name?: string }> }>;
  };
  AuthorizationApi: new () => {
    getAuthorizationRoles(
      opts: Record<string, unknown>,
    ): Promise<{ entities?: Array<{ id: string; name: string }>; pageCount?: number }>;
    getAuthorizationDivisionsHome(): Promise<{ id: string }>;
  };
}

// Loaded the way the SDK documents it.
const platformClient = require('purecloud-platform-client-v2') as Sdk;

async function prepareWithSdk(request: OnboardingRequest): Promise<OnboardingPlan> {
  const deps = awsStepDeps();
  const bootstrap = await readBootstrapSecret(deps.secrets, request.bootstrapSecretId);
  const client = platformClient.ApiClient.instance;
  client.setEnvironment(request.region.includes('.') ? request.region : 'mypurecloud.ie');
  await client.loginClientCredentialsGrant(bootstrap.clientId, bootstrap.clientSecret);
  const authorization = new platformClient.AuthorizationApi();
  const [token, home, roles, clients, integrations] = await Promise.all([
    new platformClient.TokensApi().getTokensMe(),
    authorization.getAuthorizationDivisionsHome(),
    Promise.all(
      request.oauthClient.roles.map(async (name) => {
        for (let pageNumber = 1; ; pageNumber++) {
          const page = await authorization.getAuthorizationRoles({
            name,
            pageNumber,
            pageSize: 100,
            userCount: false,
          });
          const match = page.entities?.find((role) => role.name === name);
          if (match || pageNumber >= (page.pageCount ?? 1)) return match;
        }
      }),
    ),
    new platformClient.OAuthApi().getOauthClients(),
    new platformClient.IntegrationsApi().getIntegrations({
      integrationType: 'purecloud-data-actions',
      pageSize: 100,
    }),
  ]);
  // The same findings as Prepare's, for a fresh org only: a name that exists is refused here.
  if (clients.entities?.some((c) => c.name === request.oauthClient.name))
    throw new Error('Onboarding.NameTaken');
  if (integrations.entities?.some((i) => i.name === request.integration.name))
    throw new Error('Onboarding.NameTaken');
  if (token.organization?.id !== request.orgId) throw new Error('Onboarding.WrongOrg');
  const divisionId = request.oauthClient.divisionId ?? home.id;
  const found = roles.filter((role): role is { id: string; name: string } => role !== undefined);
  if (found.length !== request.oauthClient.roles.length) throw new Error('Onboarding.UnknownRoles');
  const held = token.OAuthClient?.roleDivisions ?? [];
  if (
    !found.every((role) =>
      held.some((h) => h.roleId === role.id && (h.divisionId === '*' || h.divisionId === divisionId)),
    )
  ) {
    throw new Error('Onboarding.MissingRoles');
  }
  return {
    runId: randomUUID(),
    orgId: request.orgId,
    region: request.region,
    bootstrapSecretId:
      request.bootstrapSecretId ?? bootstrapSecretName(deps.settings.secretPrefix, request.orgId),
    resultSecretId: resultSecretName(deps.settings.secretPrefix, request.orgId),
    bootstrapClientId: token.OAuthClient?.id ?? '',
    adoptExisting: request.adoptExisting,
    renameIntegration: request.renameIntegration,
    oauthClient: {
      name: request.oauthClient.name,
      description: request.oauthClient.description,
      accessTokenValiditySeconds: request.oauthClient.accessTokenValiditySeconds,
      roleDivisions: found.map((role) => ({ roleId: role.id, divisionId })),
    },
    integration: request.integration,
    found: { client: { action: 'create' }, integration: { action: 'create' } },
    request,
  };
}

export const handler = awsStepHandler(
  defineStep({ name: 'onboarding/prepare', input: validatedOnboardingRequestSchema, run: prepareWithSdk }),
);
