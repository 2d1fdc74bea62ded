import { AwsSecretStore } from '../aws/secret-store';
import { optionalEnv, requireEnv } from '../env';
import { GenesysClient } from '../genesys/client';
import { recordGenesysEvent } from '../observability';
import type { StepDeps } from '../shared/deps';

let deps: StepDeps | undefined;

/** The collaborators of a step in Lambda, read from the environment once per container. */
export function awsStepDeps(): StepDeps {
  deps ??= {
    secrets: new AwsSecretStore(),
    genesys: (options) => new GenesysClient({ ...options, onEvent: recordGenesysEvent }),
    settings: {
      secretPrefix: requireEnv('SECRET_PREFIX'),
      resultSecretKmsKeyId: optionalEnv('RESULT_SECRET_KMS_KEY_ID'),
      maxVerifyAttempts: Number(optionalEnv('MAX_VERIFY_ATTEMPTS') ?? 30),
    },
  };
  return deps;
}
