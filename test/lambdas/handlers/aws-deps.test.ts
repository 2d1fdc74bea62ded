import { S3ObjectStore } from '../../../lambdas/aws/object-store';
import { AwsSecretStore } from '../../../lambdas/aws/secret-store';
import { DEFAULT_CONSISTENCY } from '../../../lambdas/shared/deps';

const VARIABLES = [
  'SECRET_PREFIX',
  'RESULT_SECRET_KMS_KEY_ID',
  'MAX_VERIFY_ATTEMPTS',
  'GENESYS_ALLOWED_HOSTS',
  'SECRET_RECOVERY_WINDOW_DAYS',
  'ROTATION_FUNCTION_ARN',
  'ROTATION_DAYS',
  'ONBOARDING_STATE_MACHINE_ARN',
] as const;
const ROTATION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:genesys-onboarding-rotate';
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:genesys-onboarding';

/**
 * A fresh copy of a deps module (as in a new Lambda container) with exactly `env` of the variables it reads.
 * The copy loads its own store classes, so tests compare them by name.
 */
function inContainer<T>(modulePath: string, env: Partial<Record<(typeof VARIABLES)[number], string>>): T {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = require(modulePath) as T;
  });
  return loaded as T;
}

describe('the Lambda collaborators, read from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of VARIABLES) delete process.env[name];
    Object.assign(process.env, saved);
  });

  type AwsDeps = typeof import('../../../lambdas/handlers/aws-deps');
  type BulkDeps = typeof import('../../../lambdas/handlers/bulk-deps');

  it('awsStepDeps: every setting from its variable, hosts split on commas and trimmed, once per container', () => {
    const { awsStepDeps } = inContainer<AwsDeps>('../../../lambdas/handlers/aws-deps', {
      SECRET_PREFIX: 'acme/genesys',
      RESULT_SECRET_KMS_KEY_ID: 'alias/genesys-onboarding',
      MAX_VERIFY_ATTEMPTS: '12',
      GENESYS_ALLOWED_HOSTS: ' sim.example.com , ,*.corp.example:8443',
      SECRET_RECOVERY_WINDOW_DAYS: '14',
      ROTATION_FUNCTION_ARN: ROTATION_ARN,
      ROTATION_DAYS: '45',
    });
    const deps = awsStepDeps();
    expect(deps.settings).toEqual({
      secretPrefix: 'acme/genesys',
      resultSecretKmsKeyId: 'alias/genesys-onboarding',
      maxVerifyAttempts: 12,
      allowedHosts: ['sim.example.com', '*.corp.example:8443'],
      consistency: DEFAULT_CONSISTENCY,
      recoveryWindowDays: 14,
      rotation: { lambdaArn: ROTATION_ARN, everyDays: 45 },
    });
    expect(deps.secrets.constructor.name).toBe(AwsSecretStore.name);
    const credentials = { clientId: 'client-id', clientSecret: 'not-a-real-secret' };
    expect(deps.genesys({ region: 'eu-west-1', credentials }).constructor.name).toBe('GenesysClient');
    expect(() => deps.genesys({ region: 'mars-north-1', credentials })).toThrow(/mars-north-1/);
    process.env.SECRET_PREFIX = 'changed';
    expect(awsStepDeps()).toBe(deps);
  });

  it('awsStepDeps: the defaults, and rotation every 30 days when only its function is set', () => {
    const bare = inContainer<AwsDeps>('../../../lambdas/handlers/aws-deps', {
      SECRET_PREFIX: 'p',
    }).awsStepDeps();
    expect(bare.settings).toEqual({
      secretPrefix: 'p',
      resultSecretKmsKeyId: undefined,
      maxVerifyAttempts: 30,
      allowedHosts: undefined,
      consistency: DEFAULT_CONSISTENCY,
      recoveryWindowDays: 7,
    });
    const rotating = inContainer<AwsDeps>('../../../lambdas/handlers/aws-deps', {
      SECRET_PREFIX: 'p',
      ROTATION_FUNCTION_ARN: ROTATION_ARN,
    }).awsStepDeps();
    expect(rotating.settings.rotation).toEqual({ lambdaArn: ROTATION_ARN, everyDays: 30 });
  });

  it('awsInvocationDeps: the container’s collaborators, ending when the Lambda context says the invocation does', () => {
    const { awsInvocationDeps, awsStepDeps } = inContainer<AwsDeps>('../../../lambdas/handlers/aws-deps', {
      SECRET_PREFIX: 'p',
    });
    const before = Date.now();
    const deps = awsInvocationDeps({ getRemainingTimeInMillis: () => 890_000 });
    const after = Date.now();
    expect(deps.invocationEndsAt).toBeGreaterThanOrEqual(before + 890_000);
    expect(deps.invocationEndsAt).toBeLessThanOrEqual(after + 890_000);
    expect(deps.secrets).toBe(awsStepDeps().secrets);
    expect(deps.settings).toBe(awsStepDeps().settings);
    expect(awsStepDeps()).not.toHaveProperty('invocationEndsAt');
  });

  it('awsStepDeps: without SECRET_PREFIX, fails naming it', () => {
    const { awsStepDeps } = inContainer<AwsDeps>('../../../lambdas/handlers/aws-deps', {});
    expect(() => awsStepDeps()).toThrow('Environment variable SECRET_PREFIX is required');
  });

  it('awsBulkDeps: the prefix and the onboarding state machine, S3 for the manifests, once per container', () => {
    const { awsBulkDeps } = inContainer<BulkDeps>('../../../lambdas/handlers/bulk-deps', {
      SECRET_PREFIX: 'acme',
      ONBOARDING_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
    });
    const deps = awsBulkDeps();
    expect(deps.settings).toEqual({ secretPrefix: 'acme', onboardingStateMachineArn: STATE_MACHINE_ARN });
    expect(deps.objects.constructor.name).toBe(S3ObjectStore.name);
    expect(awsBulkDeps()).toBe(deps);
  });

  it('awsBulkDeps: without ONBOARDING_STATE_MACHINE_ARN, fails naming it', () => {
    const { awsBulkDeps } = inContainer<BulkDeps>('../../../lambdas/handlers/bulk-deps', {
      SECRET_PREFIX: 'acme',
    });
    expect(() => awsBulkDeps()).toThrow('Environment variable ONBOARDING_STATE_MACHINE_ARN is required');
  });
});
