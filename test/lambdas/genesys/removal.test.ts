import { GenesysApiError } from '../../../lambdas/genesys/errors';
import { deleteAndConfirm, isGoneError } from '../../../lambdas/genesys/removal';
import { FakeClock } from './fake-api';

const apiError = (status: number) =>
  new GenesysApiError({
    kind: status === 404 || status === 410 ? 'not-found' : 'transient',
    status,
    method: 'GET',
    path: '/x',
  });
const target = { method: 'DELETE', path: '/x' };

describe('isGoneError', () => {
  it.each([
    [404, true],
    [408, true],
    [410, true],
    [400, false],
    [500, false],
  ])('status %i: %s', (status, gone) => {
    expect(isGoneError(apiError(status))).toBe(gone);
  });

  it('is false for other errors', () => {
    expect(isGoneError(new Error('404'))).toBe(false);
  });
});

describe('deleteAndConfirm', () => {
  it('polls after a DELETE answered 408, which may have worked', async () => {
    const clock = new FakeClock();
    let polls = 0;
    const outcome = await deleteAndConfirm(
      clock,
      target,
      {},
      async () => Promise.reject(apiError(408)),
      async () => ++polls === 2,
    );
    expect(outcome).toBe('deleted');
    expect(polls).toBe(2);
  });

  it('is absent, without polling, when the DELETE answers 410', async () => {
    let polls = 0;
    const outcome = await deleteAndConfirm(
      new FakeClock(),
      target,
      {},
      async () => Promise.reject(apiError(410)),
      async () => ++polls > 0,
    );
    expect(outcome).toBe('absent');
    expect(polls).toBe(0);
  });

  it('rethrows a DELETE error that does not mean gone', async () => {
    await expect(
      deleteAndConfirm(
        new FakeClock(),
        target,
        {},
        async () => Promise.reject(apiError(500)),
        async () => true,
      ),
    ).rejects.toMatchObject({ status: 500 });
  });
});
