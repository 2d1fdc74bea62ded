import { OverlaySecretStore } from '../../../local/adapters/overlay-secret-store';
import { MemorySecretStore } from '../../support/memory-secret-store';

const HELD = 'genesys-onboarding/org/bootstrap';
const OTHER = 'genesys-onboarding/org/data-actions-client';

function overlay() {
  const base = new MemorySecretStore();
  const store = new OverlaySecretStore(base);
  store.hold(HELD, '{"clientId":"id","clientSecret":"held-secret-value"}');
  return { base, store };
}

describe('OverlaySecretStore', () => {
  it('answers a held secret from memory and never reaches the store behind for it', async () => {
    const { base, store } = overlay();
    expect(await store.get(HELD)).toEqual({
      arn: `memory:${HELD}`,
      value: '{"clientId":"id","clientSecret":"held-secret-value"}',
    });
    expect(await store.get(HELD, { stage: 'AWSPENDING' })).toBeUndefined();
    expect(base.calls).toEqual([]);
  });

  it.each([
    ['written', (s: OverlaySecretStore) => s.put({ name: HELD, value: 'x' })],
    ['deleted', (s: OverlaySecretStore) => s.delete(HELD)],
    ['rotated', (s: OverlaySecretStore) => s.putPending(HELD, 'v2', 'x')],
    ['rotated', (s: OverlaySecretStore) => s.promote(HELD, 'v2')],
  ])('refuses a held secret to be %s', (what, action) => {
    const { base, store } = overlay();
    expect(() => action(store)).toThrow(`${HELD} is held in memory and cannot be ${what}`);
    expect(base.calls).toEqual([]);
  });

  it('passes every other secret to the store behind', async () => {
    const { base, store } = overlay();
    const { arn } = await store.put({ name: OTHER, value: 'v1' });
    expect(await store.get(OTHER)).toMatchObject({ arn, value: 'v1' });
    await store.putPending(OTHER, 'rotation', 'v2');
    expect(await store.get(OTHER, { stage: 'AWSPENDING' })).toMatchObject({ value: 'v2' });
    await store.promote(OTHER, 'rotation');
    expect((await store.describe(OTHER))?.versions).toMatchObject({ rotation: ['AWSCURRENT'] });
    expect((await store.list('genesys-onboarding/')).map((s) => s.name)).toEqual([OTHER]);
    await store.delete(OTHER, { recoveryWindowDays: 7 });
    expect(await base.get(OTHER)).toBeUndefined();
    expect(base.callsOf('delete')).toEqual([{ operation: 'delete', secretId: OTHER, recoveryWindowDays: 7 }]);
  });
});
