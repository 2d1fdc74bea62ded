import * as path from 'node:path';
import { bulkOnboardingsApi } from '../../../lambdas/api/bulk-onboardings';
import { OFFBOARDINGS } from '../../../lambdas/api/offboardings';
import { ONBOARDINGS } from '../../../lambdas/api/onboardings';
import { awsBulkDeps } from '../../../lambdas/handlers/bulk-deps';
import { summarizeStep } from '../../../lambdas/workflows/bulk/steps/summarize';
import { validateManifestStep } from '../../../lambdas/workflows/bulk/steps/validate-manifest';
import { DRIFT_STATES } from '../../../lambdas/workflows/drift/contract';
import { OFFBOARDING_STATES as O } from '../../../lambdas/workflows/offboarding/states';
import { ONBOARDING_STATES as S } from '../../../lambdas/workflows/onboarding/states';
import { rotateStep } from '../../../lambdas/workflows/rotation/rotate';
import { TASKS } from '../../../local/tasks';

// The factories record what each entry file gives them, instead of building a middy handler.
jest.mock('../../../lambdas/handlers/step-handler', () => ({
  awsStepHandler: (step: unknown) => ({ step, deps: 'awsStepDeps' }),
  stepHandler: (step: unknown, deps: unknown) => ({ step, deps }),
}));
jest.mock('../../../lambdas/handlers/api/status-handler', () => ({
  ...jest.requireActual('../../../lambdas/handlers/api/status-handler'),
  createStatusHandler: (api: unknown, starter: unknown) => ({ api, starter }),
}));
jest.mock('../../../lambdas/handlers/api/start-handler', () => ({
  ...jest.requireActual('../../../lambdas/handlers/api/start-handler'),
  createStartHandler: (api: unknown, deps: unknown) => ({ api, deps }),
}));

const HANDLERS = path.join(__dirname, '..', '..', '..', 'lambdas', 'handlers');
/** The `handler` export of an entry file (lib/constructs/step-function.ts: `lambdas/handlers/<name>.ts`). */
const entry = (name: string): Record<string, unknown> =>
  (require(path.join(HANDLERS, name)) as { handler: Record<string, unknown> }).handler;

/**
 * Each Lambda entry file the stack deploys runs the step its state names: the same step the local runner runs
 * for that state (local/tasks.ts), so that a run on a laptop is a run of what is deployed.
 */
describe('Lambda entry files', () => {
  it.each([
    ['onboarding/prepare', TASKS.onboarding[S.prepare]],
    ['onboarding/ensure-oauth-client', TASKS.onboarding[S.ensureOAuthClient]],
    ['onboarding/ensure-integration', TASKS.onboarding[S.ensureIntegration]],
    ['onboarding/configure-integration', TASKS.onboarding[S.configure]],
    ['onboarding/record-configuration', TASKS.onboarding[S.record]],
    ['onboarding/verify', TASKS.onboarding[S.verify]],
    ['onboarding/compensate', TASKS.onboarding[S.compensate]],
    ['offboarding/prepare', TASKS.offboarding[O.prepare]],
    ['offboarding/remove-integration', TASKS.offboarding[O.removeIntegration]],
    ['offboarding/remove-credentials', TASKS.offboarding[O.removeCredentials]],
    ['offboarding/remove-clients', TASKS.offboarding[O.removeClients]],
    ['offboarding/remove-secret', TASKS.offboarding[O.removeSecret]],
    ['offboarding/describe-leftovers', TASKS.offboarding[O.describeLeftovers]],
    ['drift/list-orgs', TASKS.driftCheck[DRIFT_STATES.listOrgs]],
    ['drift/check-org', TASKS.driftCheck[DRIFT_STATES.checkOrg]],
    ['rotation/rotate', rotateStep],
  ])('%s runs its step with the Lambda step collaborators', (name, step) => {
    expect(step).toBeDefined();
    expect(entry(name)).toEqual({ step, deps: 'awsStepDeps' });
  });

  it.each([
    ['bulk/validate-manifest', validateManifestStep],
    ['bulk/summarize', summarizeStep],
  ])('%s runs its step with the bulk collaborators (S3)', (name, step) => {
    expect(entry(name)).toEqual({ step, deps: awsBulkDeps });
  });

  it('the API entries start and read the executions of their own workflow', () => {
    const { awsStarter } = jest.requireActual('../../../lambdas/handlers/api/status-handler');
    const { awsStartDeps } = jest.requireActual('../../../lambdas/handlers/api/start-handler');
    expect(entry('api/start-onboarding')).toEqual({ api: ONBOARDINGS, deps: awsStartDeps });
    expect(entry('api/start-offboarding')).toEqual({ api: OFFBOARDINGS, deps: awsStartDeps });
    expect(entry('api/get-onboarding')).toEqual({ api: ONBOARDINGS, starter: awsStarter });
    expect(entry('api/get-offboarding')).toEqual({ api: OFFBOARDINGS, starter: awsStarter });
    const bulk = entry('api/start-bulk-onboarding') as {
      api: { path: string; idField: string };
      deps: unknown;
    };
    expect(bulk.deps).toBe(awsStartDeps);
    const { path: bulkPath, idField } = bulkOnboardingsApi();
    expect(bulk.api).toMatchObject({ path: bulkPath, idField });
  });
});
