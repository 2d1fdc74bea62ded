import { compensate, compensateStep } from '../../../../../lambdas/workflows/onboarding/steps/compensate';
import {
  configureIntegration,
  configureIntegrationStep,
} from '../../../../../lambdas/workflows/onboarding/steps/configure-integration';
import {
  ensureIntegration,
  ensureIntegrationStep,
} from '../../../../../lambdas/workflows/onboarding/steps/ensure-integration';
import {
  ensureOAuthClient,
  ensureOAuthClientStep,
} from '../../../../../lambdas/workflows/onboarding/steps/ensure-oauth-client';
import { prepare, prepareStep } from '../../../../../lambdas/workflows/onboarding/steps/prepare';
import {
  recordConfiguration,
  recordConfigurationStep,
} from '../../../../../lambdas/workflows/onboarding/steps/record-configuration';
import { verify, verifyStep } from '../../../../../lambdas/workflows/onboarding/steps/verify';

/**
 * A step's name is the `step` dimension of its metrics and the `step` field of its logs: `onboarding/<its
 * file>`, one per step, so that dashboards and log queries find each step under a stable name.
 */
describe('onboarding step definitions', () => {
  it.each([
    [compensateStep, 'onboarding/compensate', compensate],
    [configureIntegrationStep, 'onboarding/configure-integration', configureIntegration],
    [ensureIntegrationStep, 'onboarding/ensure-integration', ensureIntegration],
    [ensureOAuthClientStep, 'onboarding/ensure-oauth-client', ensureOAuthClient],
    [prepareStep, 'onboarding/prepare', prepare],
    [recordConfigurationStep, 'onboarding/record-configuration', recordConfiguration],
    [verifyStep, 'onboarding/verify', verify],
  ])('%#: names the step after its file and runs its core', (step, name, core) => {
    expect(step.name).toBe(name);
    expect(step.run).toBe(core);
  });
});
