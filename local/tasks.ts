import type { StepDefinition } from '../lambdas/shared/step';
import { DRIFT_STATES } from '../lambdas/workflows/drift/contract';
import { checkOrgForDriftStep } from '../lambdas/workflows/drift/steps/check-org';
import { listOrgsStep } from '../lambdas/workflows/drift/steps/list-orgs';
import { OFFBOARDING_STATES as O } from '../lambdas/workflows/offboarding/states';
import { describeLeftoversStep } from '../lambdas/workflows/offboarding/steps/describe-leftovers';
import { prepareOffboardingStep } from '../lambdas/workflows/offboarding/steps/prepare';
import { removeClientsStep } from '../lambdas/workflows/offboarding/steps/remove-clients';
import { removeCredentialsStep } from '../lambdas/workflows/offboarding/steps/remove-credentials';
import { removeIntegrationStep } from '../lambdas/workflows/offboarding/steps/remove-integration';
import { removeSecretStep } from '../lambdas/workflows/offboarding/steps/remove-secret';
import { ONBOARDING_STATES as S } from '../lambdas/workflows/onboarding/states';
import { compensateStep } from '../lambdas/workflows/onboarding/steps/compensate';
import { configureIntegrationStep } from '../lambdas/workflows/onboarding/steps/configure-integration';
import { ensureIntegrationStep } from '../lambdas/workflows/onboarding/steps/ensure-integration';
import { ensureOAuthClientStep } from '../lambdas/workflows/onboarding/steps/ensure-oauth-client';
import { prepareStep } from '../lambdas/workflows/onboarding/steps/prepare';
import { recordConfigurationStep } from '../lambdas/workflows/onboarding/steps/record-configuration';
import { verifyStep } from '../lambdas/workflows/onboarding/steps/verify';
import type { WorkflowName } from './definitions';

/**
 * The step each task state runs, per workflow: in AWS the state invokes that step's function; locally the
 * runner calls the same handler in-process. Every task state of a definition must be here, or be a service
 * integration the caller handles (LocalWorkflowOptions.nativeTasks).
 */
export const TASKS: Record<WorkflowName, Record<string, StepDefinition>> = {
  onboarding: {
    [S.prepare]: prepareStep,
    [S.ensureOAuthClient]: ensureOAuthClientStep,
    [S.ensureIntegration]: ensureIntegrationStep,
    [S.configure]: configureIntegrationStep,
    [S.record]: recordConfigurationStep,
    [S.verify]: verifyStep,
    [S.compensate]: compensateStep,
  },
  offboarding: {
    [O.prepare]: prepareOffboardingStep,
    [O.removeIntegration]: removeIntegrationStep,
    [O.removeCredentials]: removeCredentialsStep,
    [O.removeClients]: removeClientsStep,
    [O.removeSecret]: removeSecretStep,
    [O.describeLeftovers]: describeLeftoversStep,
  },
  // Its tasks are Step Functions service integrations: LocalWorkflowOptions.nativeTasks (local/bulk.ts).
  bulkOrg: {},
  driftCheck: {
    [DRIFT_STATES.listOrgs]: listOrgsStep,
    [DRIFT_STATES.checkOrg]: checkOrgForDriftStep,
  },
};
