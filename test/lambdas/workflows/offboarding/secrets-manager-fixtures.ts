import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsSecretStore } from '../../../../lambdas/aws/secret-store';
import type { StepDeps } from '../../../../lambdas/shared/deps';
import type { OffboardingPlan } from '../../../../lambdas/workflows/offboarding/state';
import type { StepWorld } from '../../../support/step-deps';

/** The org's result secret in these tests, by name and as Secrets Manager's ARN of it. */
export const SECRET_ID = 'genesys-onboarding/0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4/data-actions-client';
export const ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET_ID}-AbCdEf`;

/** The step world's deps with the secret store on Secrets Manager (mock it with aws-sdk-client-mock). */
export const onSecretsManager = (w: StepWorld): StepDeps => ({
  ...w.deps,
  secrets: new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' })),
});

/** An offboarding plan of the step world's org that removes its result secret and nothing else. */
export const secretOnlyPlan = (w: StepWorld): OffboardingPlan => ({
  orgId: w.orgId,
  region: 'eu-west-1',
  bootstrapSecretId: w.bootstrapSecretId,
  resultSecretId: SECRET_ID,
  bootstrapClientId: w.genesys.bootstrap.id,
  credentials: [],
  clients: [],
  secret: { id: SECRET_ID, why: 'the org result secret' },
  alreadyAbsent: [],
  leftAlone: [],
});
