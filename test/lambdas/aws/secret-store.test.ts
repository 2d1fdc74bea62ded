import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
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

  const absent = () => new ResourceNotFoundException({ message: 'no', ...meta });
  const markedForDeletion = () =>
    new InvalidRequestException({
      message: 'secret with this name is already scheduled for deletion (marked for deletion)',
      ...meta,
    });

  it('creates a secret that does not exist yet, with its key, tags and an idempotency token derived from the value', async () => {
    sm.on(PutSecretValueCommand).rejects(absent());
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
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.ClientRequestToken).toBe(
      input?.ClientRequestToken,
    );
    await store.put({ name: 'n', value: 'v' });
    expect(sm.commandCalls(CreateSecretCommand)[1]?.args[0].input.ClientRequestToken).toBe(
      input?.ClientRequestToken,
    );
    await store.put({ name: 'n', value: 'other' });
    expect(sm.commandCalls(CreateSecretCommand)[2]?.args[0].input.ClientRequestToken).not.toBe(
      input?.ClientRequestToken,
    );
  });

  it('stores a new version of a secret that exists in one call', async () => {
    sm.on(PutSecretValueCommand).resolves({ ARN });
    expect(await store.put({ name: 'n', value: 'v' })).toEqual({ arn: ARN, created: false });
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toMatchObject({
      SecretId: 'n',
      SecretString: 'v',
    });
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  it('stores a new version when the secret was created since the update found none', async () => {
    sm.on(PutSecretValueCommand).rejectsOnce(absent()).resolves({ ARN });
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));
    expect(await store.put({ name: 'n', value: 'v' })).toEqual({ arn: ARN, created: false });
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(2);
  });

  it('with createOnly, only creates, and refuses to overwrite', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));
    await expect(store.put({ name: 'n', value: 'v', createOnly: true })).rejects.toBeInstanceOf(
      SecretExistsError,
    );
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it.each([
    ['an update', false],
    ['a create-only write', true],
  ])('restores a secret scheduled for deletion, then stores the value (%s)', async (_, createOnly) => {
    sm.on(CreateSecretCommand).rejects(markedForDeletion());
    if (createOnly) sm.on(PutSecretValueCommand).resolves({ ARN });
    else sm.on(PutSecretValueCommand).rejectsOnce(markedForDeletion()).resolves({ ARN });
    sm.on(RestoreSecretCommand).resolves({ ARN });
    await store.put({ name: 'n', value: 'v', createOnly });
    expect(sm.commandCalls(RestoreSecretCommand)).toHaveLength(1);
    expect(sm.commandCalls(PutSecretValueCommand).at(-1)?.args[0].input).toMatchObject({
      SecretId: 'n',
      SecretString: 'v',
    });
  });

  it('passes other errors on', async () => {
    sm.on(PutSecretValueCommand).rejects(absent());
    sm.on(CreateSecretCommand).rejects(
      Object.assign(new Error('kms denied'), { name: 'AccessDeniedException' }),
    );
    await expect(store.put({ name: 'n', value: 'v' })).rejects.toThrow('kms denied');
  });

  describe('reads within a maximum age (Powertools Parameters cache, one per store)', () => {
    it('answers a value read less than maxAgeSeconds ago from the cache, and reads anew without it', async () => {
      sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'first', VersionId: 'v1' });
      const cached = new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }));
      expect(await cached.get('n', { maxAgeSeconds: 60 })).toEqual({
        arn: ARN,
        value: 'first',
        versionId: 'v1',
      });
      sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'second', VersionId: 'v2' });
      expect(await cached.get('n', { maxAgeSeconds: 60 })).toMatchObject({ value: 'first' });
      expect(await cached.get('n')).toMatchObject({ value: 'second' });
      expect(await cached.get('n', { maxAgeSeconds: 60, stage: 'AWSPENDING' })).toMatchObject({
        value: 'second',
      });
      expect(
        await new AwsSecretStore(new SecretsManagerClient({})).get('n', { maxAgeSeconds: 60 }),
      ).toMatchObject({
        value: 'second',
      });
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(4);
    });

    it('reads again once the value is older than maxAgeSeconds', async () => {
      jest.useFakeTimers({
        now: Date.parse('2026-11-30T08:00:00Z'),
        doNotFake: ['nextTick', 'setImmediate'],
      });
      try {
        sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'first' });
        const cached = new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }));
        await cached.get('n', { maxAgeSeconds: 60 });
        jest.setSystemTime(Date.parse('2026-11-30T08:01:01Z'));
        sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'second' });
        expect(await cached.get('n', { maxAgeSeconds: 60 })).toMatchObject({ value: 'second' });
      } finally {
        jest.useRealTimers();
      }
    });

    it('does not cache an absent secret, and fails as an uncached read does', async () => {
      const cached = new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }));
      sm.on(GetSecretValueCommand).rejects(absent());
      expect(await cached.get('n', { maxAgeSeconds: 60 })).toBeUndefined();
      sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'created' });
      expect(await cached.get('n', { maxAgeSeconds: 60 })).toMatchObject({ value: 'created' });
      sm.on(GetSecretValueCommand).rejects(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      await expect(cached.get('other', { maxAgeSeconds: 60 })).rejects.toBeInstanceOf(
        SecretStoreUnavailableError,
      );
    });
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
      await expect(store.put({ name: 'x', value: 'v' })).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    });
  });

  describe('versions, descriptions and listings', () => {
    it('reads a stage, and stores a pending version under its id', async () => {
      sm.on(GetSecretValueCommand, { SecretId: 's', VersionStage: 'AWSPENDING' }).resolves({
        ARN,
        SecretString: '{}',
        VersionId: 'v2',
      });
      expect(await store.get('s', { stage: 'AWSPENDING' })).toEqual({
        arn: ARN,
        value: '{}',
        versionId: 'v2',
      });
      sm.on(PutSecretValueCommand).resolves({ ARN });
      await store.putPending('s', 'v2', '{"a":2}');
      expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
        SecretId: 's',
        ClientRequestToken: 'v2',
        SecretString: '{"a":2}',
        VersionStages: ['AWSPENDING'],
      });
    });

    it('moves AWSCURRENT from the version that has it, and does nothing when it is there already', async () => {
      sm.on(DescribeSecretCommand).resolves({
        ARN,
        Name: 'n',
        VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] },
      });
      sm.on(UpdateSecretVersionStageCommand).resolves({});
      await store.promote('n', 'v2');
      expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0]?.args[0].input).toEqual({
        SecretId: 'n',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: 'v2',
        RemoveFromVersionId: 'v1',
      });
      await store.promote('n', 'v1');
      expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
    });

    it('describes versions, tags and rotation; a missing or deleted secret is absent', async () => {
      sm.on(DescribeSecretCommand, { SecretId: 'n' }).resolves({
        ARN,
        Name: 'n',
        VersionIdsToStages: { v1: ['AWSCURRENT', 'AWSPREVIOUS'] },
        Tags: [{ Key: 'genesys-onboarding:org-id', Value: 'org' }],
        RotationEnabled: true,
        RotationRules: { AutomaticallyAfterDays: 30 },
      });
      sm.on(DescribeSecretCommand, { SecretId: 'gone' }).rejects(
        new ResourceNotFoundException({ message: 'no', ...meta }),
      );
      sm.on(DescribeSecretCommand, { SecretId: 'deleted' }).resolves({
        ARN,
        Name: 'deleted',
        DeletedDate: new Date(),
      });
      expect(await store.describe('n')).toEqual({
        name: 'n',
        arn: ARN,
        tags: { 'genesys-onboarding:org-id': 'org' },
        versions: { v1: ['AWSCURRENT', 'AWSPREVIOUS'] },
        rotation: { enabled: true, everyDays: 30 },
      });
      expect(await store.describe('gone')).toBeUndefined();
      expect(await store.describe('deleted')).toBeUndefined();
    });

    it('lists every page of secrets under a prefix, leaving out deleted ones and near misses', async () => {
      sm.on(ListSecretsCommand)
        .resolvesOnce({
          SecretList: [{ Name: 'p/a/data-actions-client', ARN: 'a', Tags: [] }],
          NextToken: 't',
        })
        .resolvesOnce({
          SecretList: [
            { Name: 'p/b/data-actions-client', ARN: 'b' },
            { Name: 'p/c/data-actions-client', ARN: 'c', DeletedDate: new Date() },
            { Name: 'px/d', ARN: 'd' },
          ],
        });
      expect(await store.list('p/')).toEqual([
        { name: 'p/a/data-actions-client', arn: 'a', tags: {} },
        { name: 'p/b/data-actions-client', arn: 'b', tags: {} },
      ]);
      expect(sm.commandCalls(ListSecretsCommand)[1]?.args[0].input).toMatchObject({
        NextToken: 't',
        Filters: [{ Key: 'name', Values: ['p/'] }],
      });
    });

    it('deletes with a recovery window when asked, at once otherwise, and takes "already scheduled" as done', async () => {
      sm.on(DeleteSecretCommand, { SecretId: 'scheduled' }).rejects(
        new InvalidRequestException({
          message: "You can't perform this operation on the secret because it was marked for deletion.",
          ...meta,
        }),
      );
      sm.on(DeleteSecretCommand).resolves({});
      await store.delete('n', { recoveryWindowDays: 7 });
      await store.delete('m');
      await store.delete('scheduled', { recoveryWindowDays: 7 });
      const inputs = sm.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input);
      expect(inputs.slice(0, 2)).toEqual([
        { SecretId: 'n', RecoveryWindowInDays: 7 },
        { SecretId: 'm', ForceDeleteWithoutRecovery: true },
      ]);
    });
  });
});
