import { SecretExistsError } from '../../lambdas/shared/secret-store';
import { MemorySecretStore } from './memory-secret-store';

const NAME = 'genesys-onboarding/org-1/data-actions-client';

describe('MemorySecretStore', () => {
  it('creates a secret, reads it by name and by ARN, and keeps its metadata', async () => {
    const store = new MemorySecretStore();
    const put = await store.put({
      name: NAME,
      value: '{"a":1}',
      description: 'd',
      tags: { t: 'v' },
      kmsKeyId: 'k',
    });
    expect(put).toEqual({
      arn: expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:.+-[0-9a-z]{6}$/),
      created: true,
    });
    expect(put.arn.startsWith(`arn:aws:secretsmanager:eu-west-1:123456789012:secret:${NAME}-`)).toBe(true);
    expect(await store.get(NAME)).toEqual({ arn: put.arn, value: '{"a":1}', versionId: 'v1' });
    expect(await store.get(put.arn)).toEqual({ arn: put.arn, value: '{"a":1}', versionId: 'v1' });
    expect(store.json(NAME)).toEqual({ a: 1 });
    expect(store.metadata(NAME)).toEqual({ description: 'd', tags: { t: 'v' }, kmsKeyId: 'k' });
  });

  it('answers undefined for a secret or stage that is not there', async () => {
    const store = new MemorySecretStore();
    expect(await store.get(NAME)).toBeUndefined();
    await store.put({ name: NAME, value: 'x' });
    expect(await store.get(NAME, { stage: 'AWSPENDING' })).toBeUndefined();
    expect(store.json('other')).toBeUndefined();
    expect(store.metadata('other')).toBeUndefined();
  });

  it('adds a new AWSCURRENT version for a new value, keeps the one before as AWSPREVIOUS, ignores the same value', async () => {
    const store = new MemorySecretStore();
    const first = await store.put({ name: NAME, value: 'one' });
    expect(await store.put({ name: NAME, value: 'two' })).toEqual({ arn: first.arn, created: false });
    expect(await store.put({ name: NAME, value: 'two' })).toEqual({ arn: first.arn, created: false });
    await store.put({ name: NAME, value: 'three' });
    expect((await store.describe(NAME))?.versions).toEqual({ v2: ['AWSPREVIOUS'], v3: ['AWSCURRENT'] });
    expect(await store.get(NAME)).toMatchObject({ value: 'three', versionId: 'v3' });
  });

  it('refuses createOnly over an existing secret with SecretExistsError and keeps its value', async () => {
    const store = new MemorySecretStore();
    await store.put({ name: NAME, value: 'first' });
    await expect(store.put({ name: NAME, value: 'second', createOnly: true })).rejects.toBeInstanceOf(
      SecretExistsError,
    );
    expect((await store.get(NAME))?.value).toBe('first');
  });

  it('keeps a pending version beside the current one until it is promoted', async () => {
    const store = new MemorySecretStore();
    await store.put({ name: NAME, value: 'current' });
    await store.putPending(NAME, 'rotation-1', 'pending');
    await store.putPending(NAME, 'rotation-1', 'ignored');
    expect(await store.get(NAME, { stage: 'AWSPENDING' })).toMatchObject({
      value: 'pending',
      versionId: 'rotation-1',
    });
    expect((await store.get(NAME))?.value).toBe('current');
    await store.promote(NAME, 'rotation-1');
    expect(await store.get(NAME)).toMatchObject({ value: 'pending', versionId: 'rotation-1' });
    expect(await store.get(NAME, { stage: 'AWSPENDING' })).toBeUndefined();
    expect((await store.describe(NAME))?.versions).toEqual({
      v1: ['AWSPREVIOUS'],
      'rotation-1': ['AWSCURRENT'],
    });
    await store.promote(NAME, 'rotation-1');
    expect((await store.describe(NAME))?.versions).toEqual({
      v1: ['AWSPREVIOUS'],
      'rotation-1': ['AWSCURRENT'],
    });
  });

  it('moves AWSPENDING to the newest pending version', async () => {
    const store = new MemorySecretStore();
    await store.put({ name: NAME, value: 'current' });
    await store.putPending(NAME, 'rotation-1', 'first try');
    await store.putPending(NAME, 'rotation-2', 'second try');
    expect(await store.get(NAME, { stage: 'AWSPENDING' })).toMatchObject({ versionId: 'rotation-2' });
    expect((await store.describe(NAME))?.versions).toEqual({
      v1: ['AWSCURRENT'],
      'rotation-2': ['AWSPENDING'],
    });
  });

  it('refuses a pending version of a missing secret and the promotion of an unknown version', async () => {
    const store = new MemorySecretStore();
    await expect(store.putPending(NAME, 'r', 'x')).rejects.toThrow(`Secret ${NAME} does not exist`);
    await store.put({ name: NAME, value: 'x' });
    await expect(store.promote(NAME, 'r')).rejects.toThrow(`Secret ${NAME} has no version r`);
  });

  it('describes tags and rotation settings, and lists by prefix in name order', async () => {
    const store = new MemorySecretStore();
    await store.put({ name: 'p/b', value: 'x', tags: { org: 'b' } });
    await store.put({ name: 'p/a', value: 'x' });
    await store.put({ name: 'q/c', value: 'x' });
    store.setRotation('p/b', { enabled: true, everyDays: 30 });
    expect(await store.describe('p/b')).toMatchObject({
      name: 'p/b',
      tags: { org: 'b' },
      rotation: { enabled: true, everyDays: 30 },
    });
    expect(await store.describe('p/a')).not.toHaveProperty('rotation');
    expect(await store.describe('missing')).toBeUndefined();
    expect((await store.list('p/')).map((s) => [s.name, s.tags])).toEqual([
      ['p/a', {}],
      ['p/b', { org: 'b' }],
    ]);
    expect(() => store.setRotation('missing', { enabled: false })).toThrow('Secret missing does not exist');
  });

  it('schedules rotation with a function without rotating now, and refuses a missing secret', async () => {
    const store = new MemorySecretStore();
    const { arn } = await store.put({ name: NAME, value: 'x' });
    const rotation = { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate', everyDays: 30 };
    expect(await store.scheduleRotation(arn, rotation)).toBe(true);
    expect(await store.describe(NAME)).toMatchObject({
      rotation: { enabled: true, everyDays: 30 },
      versions: { v1: ['AWSCURRENT'] },
    });
    expect(store.metadata(NAME)?.rotationLambdaArn).toBe(rotation.lambdaArn);
    expect(store.callsOf('scheduleRotation')).toEqual([{ operation: 'scheduleRotation', secretId: arn }]);
    await expect(store.scheduleRotation('missing', rotation)).rejects.toThrow(
      'Secret missing does not exist',
    );
  });

  it('deletes by name or ARN at once, and a missing secret is no error; every call is recorded', async () => {
    const store = new MemorySecretStore();
    const { arn } = await store.put({ name: NAME, value: 'x' });
    await store.delete(arn, { recoveryWindowDays: 7 });
    expect(await store.get(NAME)).toBeUndefined();
    await expect(store.delete(NAME)).resolves.toBeUndefined();
    expect(store.callsOf('delete')).toEqual([
      { operation: 'delete', secretId: arn, recoveryWindowDays: 7 },
      { operation: 'delete', secretId: NAME },
    ]);
    expect(store.calls.map((c) => c.operation)).toEqual(['put', 'delete', 'get', 'delete']);
  });
});
