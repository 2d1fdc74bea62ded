import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSecretStore } from '../../../lambdas/aws/secret-store';
import { SecretExistsError, SecretStoreUnavailableError } from '../../../lambdas/shared/secret-store';

const ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/org/data-actions-client-AbCdEf';
const meta = { $metadata: {} };

describe('AwsSecretStore', () => {
  const sm = mockClient(SecretsManagerClient);
  const store = new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }));
  beforeEach(() => sm.reset());

  it('reads a secret, and reports a missing or deleted one as absent', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'present' }).resolves({ ARN, SecretString: '{"a":1}' });
    sm.on(GetSecretValueCommand, { SecretId: 'missing' }).rejects(
      new ResourceNotFoundException({ message: 'no', ...meta }),
    );
    sm.on(GetSecretValueCommand, { SecretId: 'deleted' }).rejects(
      new InvalidRequestException({
        message: "You can't perform this operation on the secret because it was marked for deletion.",
        ...meta,
      }),
    );
    sm.on(GetSecretValueCommand, { SecretId: 'denied' }).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    expect(await store.get('present')).toEqual({ arn: ARN, value: '{"a":1}' });
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.get('deleted')).toBeUndefined();
    await expect(store.get('denied')).rejects.toThrow('denied');
  });

  it('creates a new secret with its key, tags and an idempotency token derived from the value', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN });
    const result = await store.put({
      name: 'n',
      value: 'v',
      kmsKeyId: 'key',
      tags: { org: 'o' },
      description: 'd',
    });
    expect(result).toEqual({ arn: ARN, created: true });
    const input = sm.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'n',
      SecretString: 'v',
      KmsKeyId: 'key',
      Tags: [{ Key: 'org', Value: 'o' }],
      Description: 'd',
    });
    expect(input?.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    await store.put({ name: 'n', value: 'v' });
    expect(sm.commandCalls(CreateSecretCommand)[1]?.args[0].input.ClientRequestToken).toBe(
      input?.ClientRequestToken,
    );
    await store.put({ name: 'n', value: 'other' });
    expect(sm.commandCalls(CreateSecretCommand)[2]?.args[0].input.ClientRequestToken).not.toBe(
      input?.ClientRequestToken,
    );
  });

  it('stores a new version when the secret exists', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));
    sm.on(PutSecretValueCommand).resolves({ ARN });
    expect(await store.put({ name: 'n', value: 'v' })).toEqual({ arn: ARN, created: false });
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toMatchObject({
      SecretId: 'n',
      SecretString: 'v',
    });
  });

  it('refuses to overwrite with createOnly', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));
    await expect(store.put({ name: 'n', value: 'v', createOnly: true })).rejects.toBeInstanceOf(
      SecretExistsError,
    );
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('restores a secret scheduled for deletion, then stores the value', async () => {
    sm.on(CreateSecretCommand).rejects(
      new InvalidRequestException({
        message: 'secret with this name is already scheduled for deletion (marked for deletion)',
        ...meta,
      }),
    );
    sm.on(RestoreSecretCommand).resolves({ ARN });
    sm.on(PutSecretValueCommand).resolves({ ARN });
    await store.put({ name: 'n', value: 'v' });
    expect(sm.commandCalls(RestoreSecretCommand)).toHaveLength(1);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(1);
  });

  it('passes other errors on', async () => {
    sm.on(CreateSecretCommand).rejects(
      Object.assign(new Error('kms denied'), { name: 'AccessDeniedException' }),
    );
    await expect(store.put({ name: 'n', value: 'v' })).rejects.toThrow('kms denied');
  });

  it('deletes at once, and a missing secret is no error', async () => {
    sm.on(DeleteSecretCommand, { SecretId: 'a' }).resolves({});
    sm.on(DeleteSecretCommand, { SecretId: 'gone' }).rejects(
      new ResourceNotFoundException({ message: 'no', ...meta }),
    );
    await store.delete('a');
    await store.delete('gone');
    expect(sm.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: 'a',
      ForceDeleteWithoutRecovery: true,
    });
  });

  describe('failures that may pass', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const internal = new InternalServiceError({ message: 'internal', $metadata: { httpStatusCode: 500 } });
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });

    it.each([
      ['throttling', throttled, 'ThrottlingException: Rate exceeded'],
      ['a server error', internal, 'InternalServiceError: internal'],
      ['a network timeout', reset, 'TimeoutError: socket hang up'],
    ])('turns %s into SecretStore.Transient, naming the operation', async (_, error, text) => {
      sm.on(GetSecretValueCommand).rejects(error);
      const failure = await store.get('any').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SecretStoreUnavailableError);
      expect(failure).toMatchObject({
        name: 'SecretStore.Transient',
        message: `Secrets Manager GetSecretValue failed and may work again: ${text}`,
      });
    });

    it('lets a permanent failure through as it is', async () => {
      sm.on(PutSecretValueCommand).rejects(
        Object.assign(new Error('denied'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));
      await expect(store.put({ name: 'x', value: 'v' })).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    });
  });
});
