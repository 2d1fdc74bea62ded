import type { OnboardingRequestInput } from '../../lambdas/shared/request';
import { SAMPLE_ROLE } from '../../simulator/seeds';

/** The sample org's id (simulator/seeds.ts), for tests that need no simulator. */
export const SAMPLE_ORG_ID = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';

/** The onboarding request the tests, the reliability suite and the benchmarks send, as a caller writes it. */
export function sampleRequest(
  orgId: string = SAMPLE_ORG_ID,
  overrides: Partial<OnboardingRequestInput> = {},
): OnboardingRequestInput {
  return {
    orgId,
    region: 'eu-west-1',
    oauthClient: { name: 'acme-data-actions', roles: [SAMPLE_ROLE] },
    integration: { name: 'Acme Data Actions' },
    ...overrides,
  };
}
