import { S3ObjectStore } from '../aws/object-store';
import { requireEnv } from '../env';
import type { BulkDeps } from '../workflows/bulk/deps';

let deps: BulkDeps | undefined;

/** The bulk steps' collaborators in Lambda, read once per container: `SECRET_PREFIX`, `ONBOARDING_STATE_MACHINE_ARN`. */
export function awsBulkDeps(): BulkDeps {
  deps ??= {
    objects: new S3ObjectStore(),
    settings: {
      secretPrefix: requireEnv('SECRET_PREFIX'),
      onboardingStateMachineArn: requireEnv('ONBOARDING_STATE_MACHINE_ARN'),
    },
  };
  return deps;
}
