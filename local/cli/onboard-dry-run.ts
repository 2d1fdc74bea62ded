import { startOnboarding } from '../../lambdas/api/onboardings';
import { DATA_ACTIONS_INTEGRATION_TYPE } from '../../lambdas/genesys/models';
import { credentialName } from '../../lambdas/shared/naming';
import { withMarker } from '../../lambdas/shared/ownership';
import {
  type ClientDecision,
  type IntegrationDecision,
  type OnboardingPlan,
  planSchema,
} from '../../lambdas/workflows/onboarding/state';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import type { Connection } from './connection';
import { dryRun, dryRunConnection, showDryRun } from './dry-run';
import type { Io } from './onboard';
import type { OnboardSettings } from './onboard-flags';
import { ONBOARDING_STEPS } from './progress';

/** What an onboarding would do to one resource, as its dry run finds it. */
export interface PlannedResource {
  /** `create` a new one, `use` one that is ours, or `adopt` one that is not (yet). */
  readonly action: 'create' | 'use' | 'adopt';
  /** The existing resource's id; null for a new one. */
  readonly id: string | null;
  readonly name: string;
  /** Why an existing one is ours to use or adopt; null for a new one. */
  readonly why: string | null;
  /** What a run would do to it, in words (`roles set to ...`, `enable it (now DISABLED)`). */
  readonly effects: string[];
}

/** The onboarding's plan as `onboard --dry-run` prints it (`--json`: these fields). Ids and words only. */
export interface OnboardingDryRunPlan {
  readonly orgId: string;
  readonly region: string;
  /** The bootstrap client: never adopted, changed or deleted. */
  readonly bootstrapClientId: string;
  /** Where the client's secret is (or would be) kept. */
  readonly resultSecretId: string;
  readonly oauthClient: PlannedResource;
  readonly integration: PlannedResource;
  /** The steps after these two, in words: credential, configuration, enable, record, verify. */
  readonly followingSteps: string[];
}

/**
 * `onboard --dry-run`: runs only the onboarding's Prepare step (read-only: it checks the org and the bootstrap
 * client, resolves the roles and finds the org's client and integration and whether each is ours) and prints
 * what a run would create, use, adopt or change, or the refusal it would stop with (`Onboarding.NameTaken`,
 * `Onboarding.ClientDisabled`, `Onboarding.OtherClientOnboarded`...), with the Genesys Cloud hosts (API and
 * login) a run would call, in every outcome (`showDryRun`). Resolves with 0 (planned), 1 (refused or failed)
 * or 130 (Ctrl-C).
 */
export function dryRunOnboarding(io: Io, settings: OnboardSettings, connection: Connection): Promise<number> {
  const { request } = settings;
  return showDryRun<OnboardingDryRunPlan>(
    io,
    settings,
    {
      noun: 'onboarding',
      orgId: request.orgId,
      region: request.region,
      ...(connection.endpoints ? { endpoints: connection.endpoints } : {}),
      step: S.prepare,
      labels: ONBOARDING_STEPS.labels,
      describe: describeOnboardingPlan,
      json: (plan) => ({ ...plan }),
    },
    (watch) =>
      dryRun({
        workflow: 'onboarding',
        step: S.prepare,
        start: (starter) => startOnboarding(request, { starter }),
        bootstrapSecretId: request.bootstrapSecretId,
        planOf: (output) => {
          const parsed = planSchema.safeParse(output);
          return parsed.success ? onboardingDryRunPlan(parsed.data) : undefined;
        },
        ...dryRunConnection(settings, connection),
        ...watch,
      }),
  );
}

/**
 * Prepare's plan in the words of the dry run: for the client and the integration, whether a run creates, uses
 * or adopts it, why, and what it would change (as EnsureOAuthClient and EnsureIntegration would: roles, token
 * validity, description with the ownership marker and state of the client, a new secret unless the stored one
 * is the client's; the integration's name, its configured credential, its state), then the steps that follow.
 */
export function onboardingDryRunPlan(plan: OnboardingPlan): OnboardingDryRunPlan {
  const integration = plannedIntegration(plan, plan.found.integration);
  return {
    orgId: plan.orgId,
    region: plan.region,
    bootstrapClientId: plan.bootstrapClientId,
    resultSecretId: plan.resultSecretId,
    oauthClient: plannedClient(plan, plan.found.client),
    integration,
    followingSteps: followingSteps(plan, plan.found.integration),
  };
}

const CLIENT_WHY = {
  recorded: 'the stored record names it',
  marked: 'it carries the ownership marker (the stored record does not name it)',
  adopted: 'adopted on request (--adopt-existing): it carries no ownership marker',
} as const;

function plannedClient(plan: OnboardingPlan, found: ClientDecision): PlannedResource {
  const wanted = plan.oauthClient;
  const roles = `${plan.request.oauthClient.roles.map((role) => JSON.stringify(role)).join(', ')} in division ${wanted.roleDivisions[0]?.divisionId}`;
  const description = withMarker(wanted.description);
  if (found.action === 'create') {
    return {
      action: 'create',
      id: null,
      name: wanted.name,
      why: null,
      effects: [
        `with client credentials, roles ${roles}, token validity ${wanted.accessTokenValiditySeconds} s, description ${JSON.stringify(description)}`,
        `its id and secret stored in ${plan.resultSecretId}`,
      ],
    };
  }
  const current = found.current;
  const currentRoles = new Set(current.roleDivisions.map((rd) => `${rd.roleId}/${rd.divisionId}`));
  const sameRoles =
    currentRoles.size === new Set(wanted.roleDivisions.map((rd) => `${rd.roleId}/${rd.divisionId}`)).size &&
    wanted.roleDivisions.every((rd) => currentRoles.has(`${rd.roleId}/${rd.divisionId}`));
  const changes = [
    ...(sameRoles
      ? []
      : [`roles set to ${roles} (it has ${current.roleDivisions.length} role-division pair(s))`]),
    ...(current.accessTokenValiditySeconds === wanted.accessTokenValiditySeconds
      ? []
      : [
          `token validity set to ${wanted.accessTokenValiditySeconds} s (it is ${current.accessTokenValiditySeconds ?? 'unset'})`,
        ]),
    ...(current.description === description
      ? []
      : [`description set to ${JSON.stringify(description)} (with the ownership marker)`]),
    ...(current.state === 'active' ? [] : [`state set to active (it is ${current.state})`]),
  ];
  return {
    action: found.basis === 'adopted' ? 'adopt' : 'use',
    id: found.oauthClientId,
    name: wanted.name,
    why: CLIENT_WHY[found.basis],
    effects: [
      ...(changes.length > 0 ? changes : ['no change to its roles, token validity, description or state']),
      found.basis === 'recorded'
        ? `keep its stored secret in ${plan.resultSecretId} if it still gets a token (a run checks), else give it a new one`
        : `give it a new secret, stored in ${plan.resultSecretId} (the stored record does not hold this client's secret)`,
    ],
  };
}

const INTEGRATION_WHY = {
  recorded: 'the stored record names it',
  marked: 'its configuration notes carry the ownership marker (the stored record does not name it)',
  announced:
    "an earlier run's creation intent names it (that run stopped before marking it) and it has no credential configured",
  unconfigured: 'it has no credential configured, so nothing uses it',
  adopted: 'adopted on request (--adopt-existing): it carries no ownership marker and is configured',
} as const;

function plannedIntegration(plan: OnboardingPlan, found: IntegrationDecision): PlannedResource {
  const name = plan.integration.name;
  if (found.action === 'create') {
    return {
      action: 'create',
      id: null,
      name,
      why: null,
      effects: [`of type ${DATA_ACTIONS_INTEGRATION_TYPE} ("Genesys Cloud Data Actions")`],
    };
  }
  const state = `${found.intendedState}${found.reportedState ? `, reported ${found.reportedState}` : ''}`;
  const effects = [
    ...(found.renameFrom !== undefined
      ? [`rename it from ${JSON.stringify(found.renameFrom)} (--rename-integration)`]
      : []),
    ...(found.basis === 'adopted' && found.configuredCredentialId
      ? [
          `replace its configured credential ${found.configuredCredentialId} by ours; that credential itself is left as it is`,
        ]
      : []),
    found.intendedState !== 'ENABLED'
      ? `enable it (it is ${state})`
      : found.reportedState === 'ERROR'
        ? `enable it again (it is ${state})`
        : `it is enabled (${state}): enabled again only if its credential or configuration changes`,
  ];
  return {
    action: found.basis === 'adopted' || found.basis === 'unconfigured' ? 'adopt' : 'use',
    id: found.integrationId,
    name,
    why: INTEGRATION_WHY[found.basis],
    effects,
  };
}

/** ConfigureIntegration, RecordConfiguration and Verify, as they would run on this plan. */
function followingSteps(plan: OnboardingPlan, found: IntegrationDecision): string[] {
  const existing = found.action === 'use' ? found : undefined;
  const ours = existing && (existing.basis === 'recorded' || existing.basis === 'marked');
  const ourCredential =
    existing?.recordedCredentialId ?? (ours ? existing?.configuredCredentialId : undefined);
  const credential = ourCredential
    ? `update our credential ${ourCredential} where it does not hold the client's id and secret`
    : `create the credential "${credentialName(existing?.integrationId ?? '<new integration id>')}" with the client's id and secret`;
  return [
    `Credential, configuration, enable: ${credential}; write the integration's configuration where it differs (its notes with the ownership marker, that credential); enable it`,
    `Record the ids with the secret in ${plan.resultSecretId}`,
    "Verify: get a token with the client's credentials, then wait until the integration reports ACTIVE",
  ];
}

/** The dry run's plan as text: one block per resource, then the steps that follow. */
export function describeOnboardingPlan(plan: OnboardingDryRunPlan): string[] {
  const resource = (title: string, planned: PlannedResource) => [
    `  ${title} ${JSON.stringify(planned.name)}${planned.id ? ` (${planned.id})` : ''}: ${planned.action} it${planned.why ? `: ${planned.why}` : ''}`,
    ...planned.effects.map((effect) => `    - ${effect}`),
  ];
  return [
    ...resource('OAuth client', plan.oauthClient),
    ...resource('Integration', plan.integration),
    '  Then:',
    ...plan.followingSteps.map((step) => `    - ${step}`),
    `  The bootstrap client ${plan.bootstrapClientId} is never adopted, changed or deleted.`,
  ];
}
