import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StepDeps } from '../../lambdas/shared/deps';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { FLEET_ERRORS } from '../../lambdas/shared/fleet-errors';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import { runLocalBulkOnboarding } from '../../local/bulk';
import { localStepDeps } from '../../local/deps';
import { LocalWorkflow, LocalWorkflowStarter } from '../../local/runner';
import { GenesysSimulator } from '../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import type { SeededOrg } from '../../simulator/state';
import { findLeaks } from '../support/leaks';
import { seedOrg } from '../support/orgs';
import { sampleRequest } from '../support/requests';

const PREFIX = 'genesys-onboarding';

/**
 * Bulk onboarding on the simulator through the local bulk runner: the bulk state machine's own item processor
 * and the onboarding state machine, in-process, `concurrency` orgs at once. Each test has its own secret store.
 */
describe('bulk onboarding end to end', () => {
  const simulator = new GenesysSimulator({
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    activationDelayMs: 0,
    deletedClientLingerMs: 0,
  });
  const folders: string[] = [];
  beforeAll(() => simulator.start());
  afterAll(async () => {
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  function store(): { secrets: FileSecretStore; deps: StepDeps } {
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-bulk-'));
    folders.push(dir);
    const secrets = new FileSecretStore(dir);
    const deps = localStepDeps({
      secrets,
      allowedHosts: ['127.0.0.1'],
      retry: { baseDelayMs: 1, maxDelayMs: 10, attemptTimeoutMs: 2_000 },
      consistency: { readAfterCreateMs: 30 },
    });
    return { secrets, deps };
  }
  const line = (orgId: string, overrides = {}) => JSON.stringify(sampleRequest(orgId, overrides));
  /** Requests that changed something in any of these orgs since `since`. */
  const writesSince = (since: number, orgs: SeededOrg[]) => {
    const ids = new Set(orgs.map((o) => o.org.id));
    return simulator.requestLog
      .slice(since)
      .filter((e) => e.orgId && ids.has(e.orgId) && e.method !== 'GET' && e.path !== '/oauth/token');
  };
  const liveClients = (seeded: SeededOrg) =>
    [...seeded.org.clients.values()].filter(
      (c) => c.id !== seeded.bootstrap.clientId && c.state !== 'deleted',
    );

  it('onboards a manifest of 50 orgs: invalid lines start nothing, an org whose bootstrap lacks the role fails alone, the summary names them; run again it changes nothing', async () => {
    const { secrets, deps } = store();
    const orgs = await Promise.all(Array.from({ length: 49 }, () => seedOrg(simulator, secrets, PREFIX)));
    const lacking = await seedOrg(
      simulator,
      secrets,
      PREFIX,
      sampleOrgSeed({ id: randomUUID(), name: 'No role', bootstrap: { roles: ['admin'] } }),
    );
    const other = randomUUID();
    const lines = [
      ...orgs.slice(0, 20).map((o) => line(o.org.id)),
      '{"orgId": "not-a-uuid", "region": "eu-west-1"',
      line(lacking.org.id),
      ...orgs.slice(20).map((o) => line(o.org.id)),
      line(other, { region: 'moon-base-1.' } as never),
      line(orgs[0]?.org.id as string, { integration: { name: 'Second line' } }),
      line(randomUUID(), { bootstrapSecretId: `${PREFIX}/${other}/bootstrap` } as never),
    ];
    const manifest = { text: lines.join('\n'), name: 'orgs.jsonl' };
    const since = simulator.requestLog.length;

    const first = await runLocalBulkOnboarding({ manifest, deps, concurrency: 10, fastDelaysMs: 5 });

    expect(first.status).toBe('SUCCEEDED');
    expect(first.summary).toEqual({
      total: 54,
      succeeded: 49,
      failed: 5,
      notStarted: 0,
      reused: 0,
      failedOrgs: [
        {
          line: 22,
          orgId: lacking.org.id,
          error: ONBOARDING_ERRORS.missingRoles,
          cause: expect.stringContaining(`does not hold "${SAMPLE_ROLE}"`),
        },
      ],
      invalidLines: [
        { line: 21, field: 'line', problem: 'is not valid JSON: each line must be one JSON object' },
        { line: 52, field: 'region', problem: expect.stringContaining('must be a Genesys Cloud region') },
        { line: 53, field: 'orgId', problem: 'names the org of line 1 again: one line per org' },
        {
          line: 54,
          field: 'bootstrapSecretId',
          problem: expect.stringContaining('must name a secret of this org'),
        },
      ],
    });
    for (const seeded of orgs) {
      expect([
        seeded.org.id,
        liveClients(seeded).length,
        seeded.org.integrations.size,
        seeded.org.credentials.size,
      ]).toEqual([seeded.org.id, 1, 1, 1]);
    }
    expect(liveClients(lacking)).toEqual([]);
    expect(writesSince(since, [lacking])).toEqual([]);
    const succeeded = first.outcomes.filter((o) => o.status === 'SUCCEEDED');
    expect(succeeded[0]?.result).toEqual({
      oauthClientId: liveClients(orgs[0] as SeededOrg)[0]?.id,
      integrationId: [...(orgs[0] as SeededOrg).org.integrations.keys()][0],
      credentialId: [...(orgs[0] as SeededOrg).org.credentials.keys()][0],
      secretArn: expect.stringContaining(`${PREFIX}/${orgs[0]?.org.id}/data-actions-client`),
    });

    // The same manifest again (another process: no execution history): every org is looked at, nothing written.
    const again = simulator.requestLog.length;
    const second = await runLocalBulkOnboarding({ manifest, deps, concurrency: 10, fastDelaysMs: 5 });
    expect(second.summary).toEqual({ ...first.summary, failedOrgs: [expect.objectContaining({ line: 22 })] });
    expect(writesSince(again, [...orgs, lacking])).toEqual([]);

    const secretsSeen = [...orgs, lacking].flatMap((o) => [
      o.bootstrap.clientSecret,
      ...[...o.org.clients.values()].map((c) => c.secret),
    ]);
    expect(findLeaks([JSON.stringify(first), JSON.stringify(second)], secretsSeen)).toEqual([]);
  });

  it('reports an org onboarded by an earlier run of the same request as done, and an earlier failure as that failure, calling no Genesys API', async () => {
    const { secrets, deps } = store();
    const done = await seedOrg(simulator, secrets, PREFIX);
    const lacking = await seedOrg(
      simulator,
      secrets,
      PREFIX,
      sampleOrgSeed({ id: randomUUID(), name: 'No role', bootstrap: { roles: ['admin'] } }),
    );
    const manifest = { text: [line(done.org.id), line(lacking.org.id)].join('\n'), name: 'orgs.jsonl' };
    // One execution history for both runs, as Step Functions keeps names for 90 days.
    const starter = new LocalWorkflowStarter(new LocalWorkflow({ deps, fastDelaysMs: 5 }));
    const first = await runLocalBulkOnboarding({ manifest, deps, starter, fastDelaysMs: 5 });
    expect(first.summary).toMatchObject({ succeeded: 1, failed: 1, reused: 0 });

    const since = simulator.requestLog.length;
    const rerun = await runLocalBulkOnboarding({ manifest, deps, starter, fastDelaysMs: 5 });

    expect(
      simulator.requestLog.slice(since).filter((e) => e.orgId === done.org.id || e.orgId === lacking.org.id),
    ).toEqual([]);
    expect(rerun.outcomes).toEqual([
      expect.objectContaining({
        line: 1,
        status: 'SUCCEEDED',
        reused: true,
        result: first.outcomes[0]?.result,
      }),
      expect.objectContaining({
        line: 2,
        status: 'FAILED',
        error: ONBOARDING_ERRORS.missingRoles,
        cause: expect.stringMatching(
          /does not hold .* \[the earlier onboarding local:execution:onboarding:onb-\S+ of this request ended FAILED: give the line an idempotencyKey to run it again\]$/,
        ),
      }),
    ]);
    expect(rerun.summary).toMatchObject({ total: 2, succeeded: 1, failed: 1, reused: 1 });

    // A new idempotency key is a new onboarding: the org is tried again (and fails again, for the same reason).
    const retried = await runLocalBulkOnboarding({
      manifest: { text: line(lacking.org.id, { idempotencyKey: 'retry-1' }), name: 'retry.jsonl' },
      deps,
      starter,
      fastDelaysMs: 5,
    });
    expect(retried.outcomes[0]).toMatchObject({
      status: 'FAILED',
      reused: false,
      error: ONBOARDING_ERRORS.missingRoles,
    });
    expect(retried.outcomes[0]?.cause).not.toContain('earlier onboarding');
  });

  it('stops starting orgs once more fail than tolerated, as the map does, and counts those not started', async () => {
    const { secrets, deps } = store();
    const lacking = await Promise.all(
      Array.from({ length: 2 }, () =>
        seedOrg(
          simulator,
          secrets,
          PREFIX,
          sampleOrgSeed({ id: randomUUID(), name: 'No role', bootstrap: { roles: ['admin'] } }),
        ),
      ),
    );
    const fine = await Promise.all(Array.from({ length: 3 }, () => seedOrg(simulator, secrets, PREFIX)));
    const manifest = {
      text: [...lacking, ...fine].map((o) => line(o.org.id)).join('\n'),
      name: 'orgs.jsonl',
    };
    const report = await runLocalBulkOnboarding({
      manifest,
      deps,
      concurrency: 1,
      toleratedFailurePercentage: 20,
      fastDelaysMs: 5,
    });
    expect(report.status).toBe('FAILED');
    expect(report.summary).toMatchObject({ total: 5, succeeded: 0, failed: 2, notStarted: 3 });
    expect(report.outcomes.map((o) => o.status)).toEqual([
      'FAILED',
      'FAILED',
      'NOT_STARTED',
      'NOT_STARTED',
      'NOT_STARTED',
    ]);
    for (const seeded of fine) expect(liveClients(seeded)).toEqual([]);
  });

  it('takes the same requests as CSV columns', async () => {
    const { secrets, deps } = store();
    const [a, b] = await Promise.all([
      seedOrg(simulator, secrets, PREFIX),
      seedOrg(simulator, secrets, PREFIX),
    ]);
    const text = [
      'orgId,region,oauthClient.name,oauthClient.roles,integration.name,integration.notes',
      `${a?.org.id},eu-west-1,acme-data-actions,${SAMPLE_ROLE},Acme Data Actions,"From a spreadsheet, with a comma"`,
      `${b?.org.id},eu-west-1,acme-data-actions,${SAMPLE_ROLE},Acme Data Actions,`,
    ].join('\r\n');
    const report = await runLocalBulkOnboarding({
      manifest: { text, name: 'orgs.csv' },
      deps,
      fastDelaysMs: 5,
    });
    expect(report.format).toBe('csv');
    expect(report.summary).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    expect([...(a as SeededOrg).org.integrations.values()][0]?.config.notes).toMatch(
      /^From a spreadsheet, with a comma /,
    );
  });

  it('refuses a manifest larger than the limits as a whole', async () => {
    const { deps } = store();
    await expect(
      runLocalBulkOnboarding({ manifest: { text: '{}\n'.repeat(10_001), name: 'big.jsonl' }, deps }),
    ).rejects.toMatchObject({ name: FLEET_ERRORS.manifestTooLarge });
  });
});
