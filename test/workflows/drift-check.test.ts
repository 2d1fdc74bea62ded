import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { metrics } from '../../lambdas/observability';
import { FLEET_ERRORS } from '../../lambdas/shared/fleet-errors';
import { resultSecretName } from '../../lambdas/shared/naming';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import {
  DRIFT_DETECTED_DETAIL_TYPE,
  DRIFT_METRICS,
  STACK_EVENT_SOURCE,
} from '../../lambdas/workflows/drift/contract';
import type { DriftDetail } from '../../lambdas/workflows/drift/steps/check-org';
import { checkOrg } from '../../lambdas/workflows/status/check-org';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import { localStepDeps } from '../../local/deps';
import { type PutEvent, runLocalDriftCheck } from '../../local/drift-check';
import { LocalWorkflow, LocalWorkflowStarter } from '../../local/runner';
import { GenesysSimulator } from '../../simulator';
import { newSecret, nowIso } from '../../simulator/state';
import { seedOrg } from '../support/orgs';
import { sampleRequest } from '../support/requests';

const PREFIX = 'genesys-onboarding';

/**
 * The stack's drift check, its synthesized definition run in-process against the simulator. Each test has its
 * own secret store: the check finds every org of the store, so orgs of other tests must not be in it.
 */
describe('drift check workflow', () => {
  const simulator = new GenesysSimulator({
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    activationDelayMs: 0,
  });
  const folders: string[] = [];
  beforeAll(() => simulator.start());
  afterAll(async () => {
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** A store with `count` onboarded orgs, and what the drift check runs with. */
  async function fleet(count: number) {
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-drift-'));
    folders.push(dir);
    const secrets = new FileSecretStore(dir);
    const deps = localStepDeps({
      secrets,
      allowedHosts: ['127.0.0.1'],
      retry: { baseDelayMs: 1, maxDelayMs: 10, attemptTimeoutMs: 2_000 },
      consistency: { readAfterCreateMs: 30 },
    });
    const onboardings = new LocalWorkflowStarter(new LocalWorkflow({ deps, fastDelaysMs: 5 }));
    const orgs = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const seeded = await seedOrg(simulator, secrets, PREFIX);
        const name = `first-${i}-${seeded.org.id}`;
        await onboardings.start(name, {
          request: parseOnboardingRequest(sampleRequest(seeded.org.id), { secretPrefix: PREFIX }),
        });
        expect((await onboardings.wait(name)).status).toBe('SUCCEEDED');
        const record = JSON.parse(
          (await secrets.get(resultSecretName(PREFIX, seeded.org.id)))?.value ?? '{}',
        );
        return { ...seeded, record };
      }),
    );
    const events: PutEvent[] = [];
    const run = (repair = false) =>
      runLocalDriftCheck({
        deps,
        repair,
        onboardings,
        onEvent: (e) => events.push(e),
        fastDelaysMs: 5,
        name: `check-${Date.now()}`,
      });
    return { orgs, deps, secrets, onboardings, events, run };
  }

  const disable = (
    org: { org: { integrations: Map<string, { intendedState: string; reportedState: object }> } },
    id: string,
  ) => {
    const integration = org.org.integrations.get(id);
    if (!integration) throw new Error('seed');
    integration.intendedState = 'DISABLED';
    integration.reportedState = { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() };
  };

  it('puts one "Drift Detected" event per drifted org on the bus (ids and findings), changes nothing, and counts DriftedOrgs', async () => {
    const { orgs, events, run } = await fleet(3);
    const [healthy, disabled, regenerated] = orgs;
    if (!healthy || !disabled || !regenerated) throw new Error('seed');
    disable(disabled, disabled.record.integrationId);
    const client = regenerated.org.clients.get(regenerated.record.clientId);
    if (client) client.secret = newSecret();
    const added = jest.spyOn(metrics, 'addMetric');
    const since = simulator.requestLog.length;

    const execution = await run();

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toEqual({ orgsChecked: 3, repair: false });
    const writes = simulator.requestLog
      .slice(since)
      .filter((e) => e.method !== 'GET' && e.path !== '/oauth/token');
    expect(writes).toEqual([]);
    expect(events.map((e) => [e.Source, e.DetailType]).sort()).toEqual([
      [STACK_EVENT_SOURCE, DRIFT_DETECTED_DETAIL_TYPE],
      [STACK_EVENT_SOURCE, DRIFT_DETECTED_DETAIL_TYPE],
    ]);
    const details = new Map(events.map((e) => [(e.Detail as DriftDetail).orgId, e.Detail as DriftDetail]));
    expect(details.get(disabled.org.id)).toEqual({
      orgId: disabled.org.id,
      region: 'eu-west-1',
      verdict: 'drifted',
      checkedAt: expect.any(String),
      rotationInProgress: false,
      findings: [
        {
          id: 'integration.enabled',
          status: 'drifted',
          message: expect.stringContaining('is intended DISABLED'),
        },
        { id: 'integration.active', status: 'drifted', message: expect.stringContaining('reports INACTIVE') },
      ],
    });
    expect(details.get(regenerated.org.id)?.findings.map((f) => f.id)).toEqual(['secret.token']);
    expect(details.has(healthy.org.id)).toBe(false);
    const drifted = added.mock.calls
      .filter(([name]) => name === DRIFT_METRICS.driftedOrgs)
      .map(([, , value]) => value);
    expect(drifted.sort()).toEqual([0, 1, 1]);
    const text = JSON.stringify(events);
    for (const org of orgs) {
      expect(text).not.toContain(org.bootstrap.clientSecret);
      expect(text).not.toContain(org.record.clientSecret);
    }
    added.mockRestore();
  });

  it('with repair, onboards each drifted org again with its recorded request, which brings it back; not during a rotation', async () => {
    const { orgs, deps, secrets, onboardings, events, run } = await fleet(2);
    const [drifting, rotating] = orgs;
    if (!drifting || !rotating) throw new Error('seed');
    disable(drifting, drifting.record.integrationId);
    disable(rotating, rotating.record.integrationId);
    await secrets.putPending(
      resultSecretName(PREFIX, rotating.org.id),
      'v2',
      JSON.stringify(rotating.record),
    );

    expect((await run(true)).status).toBe('SUCCEEDED');

    const details = new Map(events.map((e) => [(e.Detail as DriftDetail).orgId, e.Detail as DriftDetail]));
    const repair = details.get(drifting.org.id)?.repair as { onboardingId: string };
    expect(repair.onboardingId).toMatch(/^onb-[0-9a-f]{8}-[0-9a-f]{40}$/);
    expect(details.get(rotating.org.id)?.repair).toEqual({
      skipped: 'a rotation is in progress: repair after it finishes',
    });
    expect((await onboardings.wait(repair.onboardingId)).status).toBe('SUCCEEDED');
    expect((await checkOrg({ orgId: drifting.org.id }, deps)).verdict).toBe('healthy');
    expect((await checkOrg({ orgId: rotating.org.id }, deps)).verdict).toBe('drifted');
    expect(await onboardings.describe(`${repair.onboardingId}`)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('refuses an input other than {repair}: the run fails, naming it', async () => {
    const { deps } = await fleet(0);
    const workflow = new LocalWorkflow({
      deps,
      workflow: 'driftCheck',
      fastDelaysMs: 5,
      nativeTasks: { PublishDrift: async () => ({}), StartRepair: async () => ({}) },
    });
    const execution = await workflow.execute('bad-input', { repair: 'yes' });
    expect(execution).toMatchObject({ status: 'FAILED', error: FLEET_ERRORS.driftInvalidInput });
  });
});
