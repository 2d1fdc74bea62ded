import type { Context } from 'aws-lambda';
import { AwsSecretStore } from '../aws/secret-store';
import { optionalEnv, requireEnv } from '../env';
import { GenesysClient } from '../genesys/client';
import { recordGenesysEvent } from '../observability';
import { DEFAULT_CONSISTENCY, type StepDeps } from '../shared/deps';

let deps: StepDeps | undefined;

/** `ROTATION_FUNCTION_ARN` and `ROTATION_DAYS`, set on the functions that schedule rotations. */
function rotationSchedule(): Pick<StepDeps['settings'], 'rotation'> {
  const lambdaArn = optionalEnv('ROTATION_FUNCTION_ARN');
  return lambdaArn ? { rotation: { lambdaArn, everyDays: Number(optionalEnv('ROTATION_DAYS') ?? 30) } } : {};
}

/**
 * The collaborators of a step in Lambda, read from the environment once per container: `SECRET_PREFIX`
 * (required), `RESULT_SECRET_KMS_KEY_ID`, `MAX_VERIFY_ATTEMPTS`, `GENESYS_ALLOWED_HOSTS` (comma-separated),
 * `SECRET_RECOVERY_WINDOW_DAYS`, `ROTATION_FUNCTION_ARN`, `ROTATION_DAYS`.
 */
export function awsStepDeps(): StepDeps {
  deps ??= {
    secrets: new AwsSecretStore(),
    genesys: (options) => new GenesysClient({ ...options, onEvent: recordGenesysEvent }),
    settings: {
      secretPrefix: requireEnv('SECRET_PREFIX'),
      resultSecretKmsKeyId: optionalEnv('RESULT_SECRET_KMS_KEY_ID'),
      maxVerifyAttempts: Number(optionalEnv('MAX_VERIFY_ATTEMPTS') ?? 30),
      allowedHosts: optionalEnv('GENESYS_ALLOWED_HOSTS')
        ?.split(',')
        .map((host) => host.trim())
        .filter((host) => host !== ''),
      consistency: DEFAULT_CONSISTENCY,
      recoveryWindowDays: Number(optionalEnv('SECRET_RECOVERY_WINDOW_DAYS') ?? 7),
      ...rotationSchedule(),
    },
  };
  return deps;
}

/**
 * `awsStepDeps` with the end of this invocation (`StepDeps.invocationEndsAt`, ms since the epoch on the system
 * clock) from the Lambda context's `getRemainingTimeInMillis()`.
 */
export function awsInvocationDeps(context: Pick<Context, 'getRemainingTimeInMillis'>): StepDeps {
  return { ...awsStepDeps(), invocationEndsAt: Date.now() + context.getRemainingTimeInMillis() };
}
