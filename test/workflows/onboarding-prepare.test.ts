import { randomUUID } from 'node:crypto';
import type { StepDeps } from '../../lambdas/shared/deps';
import { realisticOrgSeed, SAMPLE_ROLE } from '../../simulator/seeds';
import { WorkflowWorld } from '../support/workflow';

/** The client id the bootstrap session reports instead of the secret's (a secret naming another client). */
let mockSessionClientId: string | undefined;
jest.mock('../../lambdas/shared/session', () => {
  const actual = jest.requireActual('../../lambdas/shared/session');
  return {
    ...actual,
    openBootstrapSession: async (deps: StepDeps, target: { bootstrapSecretId: string; region: string }) => {
      const session = await actual.openBootstrapSession(deps, target);
      return mockSessionClientId ? { ...session, bootstrapClientId: mockSessionClientId } : session;
    },
  };
});

/** Prepare looks the org up beside its checks: what it found counts only once the checks passed. */
describe('Prepare', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start();
  });
  afterAll(() => world.stop());
  afterEach(() => {
    mockSessionClientId = undefined;
  });

  it('refuses a token whose client is not the one the bootstrap secret names, and writes nothing', async () => {
    const org = await world.newOrg();
    mockSessionClientId = org.seeded.bootstrap.clientId.toUpperCase();
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.NotClientCredentials');
    expect(execution.cause).toContain(
      `belongs to OAuth client ${org.seeded.bootstrap.clientId}, not to the client id the secret holds`,
    );
    expect(org.writesSince(before)).toEqual([]);
    expect(org.dataActionClients()).toEqual([]);
  });

  it('reports a failed check, not what the lookups beside it found (a taken name)', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const before = world.simulator.requestLog.length;
    const execution = await org.run(
      org.request({ oauthClient: { name: 'crm-sync', roles: [SAMPLE_ROLE, 'No such role'] } }),
    );
    expect(execution.error).toBe('Onboarding.UnknownRoles');
    expect(execution.cause).toContain('"No such role"');
    expect(org.writesSince(before)).toEqual([]);
  });
});
