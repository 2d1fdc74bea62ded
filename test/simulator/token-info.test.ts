import { sampleOrgSeed } from '../../simulator';
import { NO_WAITS, simulatorHarness } from './harness';

describe('simulator: tokens/me', () => {
  const harness = simulatorHarness(NO_WAITS, sampleOrgSeed());

  it('names the caller, its org and its roleDivisions', async () => {
    const reply = await harness.call('GET', '/api/v2/tokens/me');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      organization: { id: harness.seeded.org.id },
      OAuthClient: { id: harness.seeded.bootstrap.clientId, roleDivisions: expect.any(Array) },
    });
  });

  it('leaves roleDivisions out when the knob says so (an UNVERIFIED variant of the real API)', async () => {
    harness.simulator.options.tokenInfoWithoutRoleDivisions = true;
    try {
      const reply = await harness.call('GET', '/api/v2/tokens/me');
      expect(reply.body.OAuthClient).toMatchObject({ id: harness.seeded.bootstrap.clientId });
      expect(reply.body.OAuthClient).not.toHaveProperty('roleDivisions');
    } finally {
      harness.simulator.options.tokenInfoWithoutRoleDivisions = undefined;
    }
  });
});
