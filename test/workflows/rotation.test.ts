import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { GenesysClient } from '../../lambdas/genesys/client';
import { OAUTH_CREDENTIAL_TYPE } from '../../lambdas/genesys/models';
import { resultSecretName } from '../../lambdas/shared/naming';
import { ROTATION_STEPS, rotate } from '../../lambdas/workflows/rotation/rotate';
import type { RotationOutcome } from '../../local/rotation';
import { findLeaks } from '../support/leaks';
import { type OrgUnderTest, PREFIX, resultOf, WorkflowWorld } from '../support/workflow';

const CLIENT_NAME = 'acme-data-actions';

/** The four rotation steps in-process against the simulator, as Secrets Manager drives the rotation function. */
describe('secret rotation end to end', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    // A new client works at the token endpoint only after 300 ms, as a real new client takes a moment.
    world = await WorkflowWorld.start(
      {
        newClientDelayMs: 300,
        readAfterCreateNotFoundMs: 200,
        oauthClientListingLagMs: 300,
        deletedClientLingerMs: 500,
      },
      { readAfterCreateMs: 1_000, goneTimeoutMs: 2_000, readinessPollMs: 50 },
    );
  });
  afterAll(() => world.stop());

  const onboarded = async () => {
    const org = await world.newOrg();
    // The onboarding's client is usable at once: the local run compresses Verify's retries to 5 ms apart, which a
    // 300 ms delay can outlast on a fast machine (Onboarding.CredentialsNotYetUsable). Rotations' clients keep it.
    const knobs = world.simulator.options;
    world.simulator.options = { ...knobs, newClientDelayMs: 0 };
    const execution = await org.run().finally(() => {
      world.simulator.options = knobs;
    });
    expect(execution.status).toBe('SUCCEEDED');
    return { org, ids: resultOf(execution) };
  };

  /** A real token request with a client id and secret: the status the token endpoint answers. */
  const tokenStatus = async (clientId: string, clientSecret: string) =>
    (
      await fetch(`${world.simulator.url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
    ).status;

  /** The client id and secret the integration's configured credential holds now. */
  const configuredCredential = (org: OrgUnderTest) => {
    const [integration] = [...org.state.integrations.values()];
    const id = integration?.config.credentials[OAUTH_CREDENTIAL_TYPE]?.id;
    const credential = id ? org.state.credentials.get(id) : undefined;
    return {
      id,
      clientId: credential?.fields.clientId ?? '',
      clientSecret: credential?.fields.clientSecret ?? '',
    };
  };

  /**
   * A fetch that, after every call that changes the org, gets a token with the credential the integration is
   * configured with at that moment; every status it got is kept, with the call that preceded it.
   */
  const watching = (org: OrgUnderTest) => {
    const seen: Array<{ after: string; status: number }> = [];
    const watched: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const method = init?.method ?? 'GET';
      const url = new URL(String(input));
      if (method !== 'GET' && url.pathname !== '/oauth/token') {
        const { clientId, clientSecret } = configuredCredential(org);
        seen.push({ after: `${method} ${url.pathname}`, status: await tokenStatus(clientId, clientSecret) });
      }
      return response;
    };
    return { fetch: watched, seen };
  };

  /** The org after a finished rotation: one client of the name, one credential, the record on it, no pending. */
  const rotatedCleanly = async (org: OrgUnderTest, outcome: RotationOutcome) => {
    const clients = org.dataActionClients().filter((c) => c.name === CLIENT_NAME);
    expect(clients.map((c) => [c.id, c.state])).toEqual([[outcome.oauthClientId, 'active']]);
    expect([...org.state.credentials.values()].map((c) => [c.id, c.fields.clientId])).toEqual([
      [outcome.credentialId, outcome.oauthClientId],
    ]);
    expect(configuredCredential(org).id).toBe(outcome.credentialId);
    const record = await org.resultSecret();
    expect(record).toMatchObject({
      clientId: outcome.oauthClientId,
      clientSecret: clients[0]?.secret,
      credentialId: outcome.credentialId,
      integrationId: outcome.integrationId,
    });
    const file = world.secrets.fileOf(resultSecretName(PREFIX, org.id));
    expect((await readdir(path.dirname(file))).sort()).toEqual(['bootstrap.json', path.basename(file)]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect([...org.state.integrations.values()][0]?.reportedState.code).toBe('ACTIVE');
  };

  it('moves the integration to a second client without a moment on credentials that cannot get a token', async () => {
    const { org, ids } = await onboarded();
    const oldSecret = org.state.clients.get(ids.oauthClientId)?.secret ?? '';
    const watcher = watching(org);
    const outcome = await org.rotate({ fetch: watcher.fetch });

    expect(outcome).toEqual({
      orgId: org.id,
      oauthClientId: expect.not.stringMatching(ids.oauthClientId),
      previousOauthClientId: ids.oauthClientId,
      integrationId: ids.integrationId,
      credentialId: expect.not.stringMatching(ids.credentialId),
      secretId: resultSecretName(PREFIX, org.id),
    });
    // Every change the rotation made, each followed by a token request with what the integration held.
    expect(watcher.seen.map((s) => s.after)).toEqual([
      'POST /api/v2/oauth/clients',
      'POST /api/v2/integrations/credentials',
      `PUT /api/v2/integrations/${ids.integrationId}/config/current`,
      `PATCH /api/v2/integrations/${ids.integrationId}`,
      `DELETE /api/v2/integrations/credentials/${ids.credentialId}`,
      `PUT /api/v2/oauth/clients/${ids.oauthClientId}`,
      `DELETE /api/v2/oauth/clients/${ids.oauthClientId}`,
    ]);
    expect(watcher.seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(await tokenStatus(ids.oauthClientId, oldSecret)).toBe(401);
    await rotatedCleanly(org, outcome);
  });

  it('rotates again and again, each time onto a new client and removing the last one', async () => {
    const { org } = await onboarded();
    const first = await org.rotate();
    const second = await org.rotate();
    expect(second.previousOauthClientId).toBe(first.oauthClientId);
    expect(second.oauthClientId).not.toBe(first.oauthClientId);
    await rotatedCleanly(org, second);
  });

  it('leaves an onboarding run after a rotation with nothing to do, reporting the live client', async () => {
    const { org } = await onboarded();
    const outcome = await org.rotate();
    const before = world.simulator.requestLog.length;
    const again = await org.run();
    expect(again.status).toBe('SUCCEEDED');
    expect(resultOf(again)).toMatchObject({
      oauthClientId: outcome.oauthClientId,
      credentialId: outcome.credentialId,
      integrationId: outcome.integrationId,
    });
    expect(org.writesSince(before)).toEqual([]);
    await rotatedCleanly(org, outcome);
  });

  describe.each(ROTATION_STEPS.map((step, index) => [step, ROTATION_STEPS[index + 1]] as const))(
    'stopped after %s',
    (stoppedAfter, next) => {
      it('keeps the integration working, and the next run converges', async () => {
        const { org, ids } = await onboarded();
        const crash = new Error(`stopped after ${stoppedAfter}`);
        await expect(
          org.rotate({
            afterStep: (step) => {
              if (step === stoppedAfter) throw crash;
            },
          }),
        ).rejects.toBe(crash);

        const { clientId, clientSecret } = configuredCredential(org);
        expect(await tokenStatus(clientId, clientSecret)).toBe(200);
        // Meanwhile an onboarding run changes nothing and reports the client the integration uses.
        const before = world.simulator.requestLog.length;
        const onboarding = await org.run();
        expect(onboarding.status).toBe('SUCCEEDED');
        expect(resultOf(onboarding).oauthClientId).toBe(clientId);
        expect(org.writesSince(before)).toEqual([]);

        const outcome = await org.rotate();
        // An unfinished rotation is resumed (its pending version); a finished one is followed by a new one.
        expect(outcome.previousOauthClientId).toBe(next ? ids.oauthClientId : clientId);
        await rotatedCleanly(org, outcome);
      });
    },
  );

  it('retries a step that failed at any of its calls, the integration working throughout', async () => {
    const { org } = await onboarded();
    const calls: Array<{ method: string; path: string }> = [
      { method: 'POST', path: '/api/v2/oauth/clients' },
      { method: 'POST', path: '/api/v2/integrations/credentials' },
      { method: 'PUT', path: '/api/v2/integrations/{integrationId}/config/current' },
      { method: 'PATCH', path: '/api/v2/integrations/{integrationId}' },
      { method: 'DELETE', path: '/api/v2/integrations/credentials/{credentialId}' },
      { method: 'PUT', path: '/api/v2/oauth/clients/{clientId}' },
      { method: 'DELETE', path: '/api/v2/oauth/clients/{clientId}' },
      { method: 'GET', path: '/api/v2/oauth/clients' },
      { method: 'GET', path: '/api/v2/integrations/{integrationId}' },
    ];
    for (const call of calls) {
      world.simulator.injectFault({ ...call, fault: { kind: 'status', status: 400 }, times: 100 });
      const failed = await org.rotate().then(
        () => undefined,
        (error: Error) => error,
      );
      world.simulator.faults.clear();
      expect([call, failed?.name]).toEqual([call, 'Genesys.BadRequest']);
      const { clientId, clientSecret } = configuredCredential(org);
      expect([call, await tokenStatus(clientId, clientSecret)]).toEqual([call, 200]);
    }
    await rotatedCleanly(org, await org.rotate());
  });

  it('rides out throttling and server errors on every call', async () => {
    const { org } = await onboarded();
    // A 500 on a POST that creates is not retried within one attempt (it may have created: Secrets Manager retries
    // the rotation, which reuses what it made); this seed draws no 5xx on a create.
    const before = world.simulator.requestLog.length;
    world.simulator.setRandomFaults({ seed: 16, rate: 0.3, kinds: ['429', '500', '503'] });
    try {
      await rotatedCleanly(org, await org.rotate());
    } finally {
      world.simulator.setRandomFaults(undefined);
    }
    const injected = world.simulator.requestLog.slice(before).filter((e) => e.fault === 'status');
    expect(injected.length).toBeGreaterThanOrEqual(1);
    expect(injected.filter((e) => ![429, 500, 503].includes(e.status))).toEqual([]);
  });

  it('keeps the integration on the current client when it reports ERROR after the switch', async () => {
    const { org, ids } = await onboarded();
    const knobs = world.simulator.options;
    world.simulator.options = {
      ...knobs,
      credentialChangeReactivates: true,
      activationError: { message: 'Upstream auth failed' },
    };
    const failed = await org.rotate().then(
      () => undefined,
      (error: Error) => error,
    );
    world.simulator.options = knobs;
    expect(failed?.name).toBe('Rotation.IntegrationError');
    expect(failed?.message).toContain('Upstream auth failed');
    // finishSecret never ran: the previous client is still there, and the record still names it.
    expect(org.state.clients.get(ids.oauthClientId)?.state).toBe('active');
    expect((await org.resultSecret())?.clientId).toBe(ids.oauthClientId);
  });

  it('waits for an integration that re-activates on the new credential', async () => {
    const { org } = await onboarded();
    const knobs = world.simulator.options;
    world.simulator.options = { ...knobs, credentialChangeReactivates: true, activationDelayMs: 500 };
    try {
      await rotatedCleanly(org, await org.rotate());
    } finally {
      world.simulator.options = knobs;
    }
  });

  it("passes Secrets Manager's configuration test (testSecret alone on a version it wrote) and changes nothing", async () => {
    const { org, ids } = await onboarded();
    const secretId = resultSecretName(PREFIX, org.id);
    const current = await world.secrets.get(secretId);
    await world.secrets.putPending(secretId, 'configuration-test', current?.value ?? '');
    const before = world.simulator.requestLog.length;
    const event = {
      SecretId: secretId,
      ClientRequestToken: 'configuration-test',
      Step: 'testSecret',
    } as const;
    await expect(rotate(event, world.deps(), { requireRotationEnabled: false })).resolves.toEqual({
      reportedState: 'ACTIVE',
    });
    expect(org.writesSince(before)).toEqual([]);
    expect((await org.resultSecret())?.clientId).toBe(ids.oauthClientId);
  });

  it('refuses to rotate an org that was never onboarded, touching nothing', async () => {
    const org = await world.newOrg();
    const before = world.simulator.requestLog.length;
    await expect(org.rotate()).rejects.toMatchObject({ name: 'Rotation.NotOnboarded' });
    expect(world.simulator.requestLog.length).toBe(before);
  });

  /** The org's API as its operator would use it outside this tool (the bootstrap client). */
  const outsideTheTool = (org: OrgUnderTest) =>
    new GenesysClient({
      region: 'eu-west-1',
      apiUrl: world.simulator.url,
      loginUrl: world.simulator.url,
      credentials: org.seeded.bootstrap,
      allowedHosts: [new URL(world.simulator.url).host],
    });

  it('refuses before creating anything when the recorded integration was deleted outside the tool; onboarding repairs it', async () => {
    const { org, ids } = await onboarded();
    await outsideTheTool(org).integrations.delete(ids.integrationId);
    const before = world.simulator.requestLog.length;
    const failed = await org.rotate().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.name).toBe('Rotation.Drifted');
    expect(failed?.message).toBe(
      `The record ${resultSecretName(PREFIX, org.id)} names integration ${ids.integrationId}, which Genesys Cloud no longer has (deleted outside this tool): nothing was created. Repair the org with \`genesys-onboard onboard\` (or POST /onboardings) first, then rotate it`,
    );
    expect(org.writesSince(before)).toEqual([]);
    expect(org.dataActionClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
    expect(
      await world.secrets.get(resultSecretName(PREFIX, org.id), { stage: 'AWSPENDING' }),
    ).toBeUndefined();

    const repair = await org.run();
    expect(repair.status).toBe('SUCCEEDED');
    const outcome = await org.rotate();
    expect(outcome.integrationId).toBe(resultOf(repair).integrationId);
    expect(org.dataActionClients().map((c) => c.id)).toEqual([outcome.oauthClientId]);
    expect(configuredCredential(org).id).toBe(outcome.credentialId);
    expect(await org.resultSecret()).toMatchObject({
      clientId: outcome.oauthClientId,
      credentialId: outcome.credentialId,
    });
  });

  it('refuses before creating anything when the recorded client was deleted outside the tool', async () => {
    const { org, ids } = await onboarded();
    await outsideTheTool(org).oauthClients.deactivateAndDelete(ids.oauthClientId);
    const before = world.simulator.requestLog.length;
    await expect(org.rotate()).rejects.toMatchObject({
      name: 'Rotation.Drifted',
      message: expect.stringContaining(
        `names OAuth client ${ids.oauthClientId}, which Genesys Cloud no longer has (deleted outside this tool): nothing was created. Repair the org with \`genesys-onboard onboard\``,
      ),
    });
    expect(org.writesSince(before)).toEqual([]);
    expect(org.dataActionClients()).toEqual([]);
  });

  it('refuses an incomplete record (an onboarding that did not finish), naming what it lacks', async () => {
    const { org } = await onboarded();
    const secretId = resultSecretName(PREFIX, org.id);
    const {
      integrationId: _integrationId,
      credentialId: _credentialId,
      ...partial
    } = (await org.resultSecret()) ?? {};
    await world.secrets.put({ name: secretId, value: JSON.stringify(partial) });
    const before = world.simulator.requestLog.length;
    await expect(org.rotate()).rejects.toMatchObject({
      name: 'Rotation.Drifted',
      message: `The record ${secretId} is incomplete (no integrationId, no credentialId: its onboarding did not finish): nothing was created. Repair the org with \`genesys-onboard onboard\` (or POST /onboardings) first, then rotate it`,
    });
    expect(org.writesSince(before)).toEqual([]);
  });

  describe('two rotations of one org at once', () => {
    /** A rotation that stops after createSecret until `release` is called; `created` settles when it got there. */
    const heldAfterCreate = (org: OrgUnderTest) => {
      let release = () => {};
      let reached = () => {};
      const created = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const run = org
        .rotate({
          afterStep: async (step) => {
            if (step !== 'createSecret') return;
            reached();
            await released;
          },
        })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      return { created, release, run };
    };

    it('the one another finished meanwhile says it was superseded; the org ends rotated by the other', async () => {
      const { org, ids } = await onboarded();
      const held = heldAfterCreate(org);
      await held.created;
      const other = await org.rotate({ token: randomUUID() });
      held.release();
      const failed = await held.run;
      expect(failed?.name).toBe('Rotation.Superseded');
      expect(failed?.message).toBe(
        `Another rotation of ${resultSecretName(PREFIX, org.id)} finished while this one ran: the record now names OAuth client ${other.oauthClientId} (this run started from ${ids.oauthClientId}), so the secret is rotated; this run's version was dropped, and a client it made, if one is left, is removed by the next rotation`,
      );
      await rotatedCleanly(org, other);
    });

    it('the one whose own version a second run resumed and finished says so; the org ends rotated', async () => {
      const { org, ids } = await onboarded();
      const held = heldAfterCreate(org);
      await held.created;
      const other = await org.rotate();
      held.release();
      const failed = await held.run;
      expect(failed?.name).toBe('Rotation.Superseded');
      expect(failed?.message).toMatch(
        new RegExp(
          `^Another run finished this same rotation \\(version [0-9a-f-]{36}\\) while this one ran: the record now names OAuth client ${other.oauthClientId} \\(this run started from ${ids.oauthClientId}\\), so the secret is rotated$`,
        ),
      );
      await rotatedCleanly(org, other);
    });

    it('the one waiting for its new client to get a token stops at once when another replaces its version', async () => {
      const { org, ids } = await onboarded();
      const secretId = resultSecretName(PREFIX, org.id);
      const other = randomUUID();
      let step: string | undefined;
      // Another rotation's createSecret stores its version while this one's setSecret waits for its client...
      const meanwhile: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (
          step === 'setSecret' &&
          new URL(String(input)).pathname === '/oauth/token' &&
          response.status === 401
        ) {
          const current = await world.secrets.get(secretId);
          const pending = await world.secrets.get(secretId, { stage: 'AWSPENDING' });
          await world.secrets.putPending(secretId, other, current?.value ?? '');
          // ... and its finishSecret removes this one's client, which will never get a token now.
          org.state.clients.delete(JSON.parse(pending?.value ?? '{}').clientId);
        }
        return response;
      };
      const started = Date.now();
      await expect(
        org.rotate({
          fetch: meanwhile,
          beforeStep: (next) => {
            step = next;
          },
        }),
      ).rejects.toMatchObject({
        name: 'Rotation.Superseded',
        message: `Another rotation of ${secretId} replaced this one's pending version while it ran: its version ${other} is in progress (or stopped: rotate resumes it). Its finishSecret removes what this run created; the record still names OAuth client ${ids.oauthClientId}`,
      });
      // Not the readiness wait (60 s): the next poll sees the version replaced.
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('the one whose pending version another replaced says so; the next rotation resumes the other', async () => {
      const { org, ids } = await onboarded();
      const held = heldAfterCreate(org);
      await held.created;
      const token = randomUUID();
      const crash = new Error('stopped after createSecret');
      await expect(
        org.rotate({
          token,
          afterStep: (step) => {
            if (step === 'createSecret') throw crash;
          },
        }),
      ).rejects.toBe(crash);
      held.release();
      const failed = await held.run;
      expect(failed?.name).toBe('Rotation.Superseded');
      expect(failed?.message).toBe(
        `Another rotation of ${resultSecretName(PREFIX, org.id)} replaced this one's pending version while it ran: its version ${token} is in progress (or stopped: rotate resumes it). Its finishSecret removes what this run created; the record still names OAuth client ${ids.oauthClientId}`,
      );
      const resumed = await org.rotate();
      expect(resumed.previousOauthClientId).toBe(ids.oauthClientId);
      await rotatedCleanly(org, resumed);
    });
  });

  it('never lets a secret into logs, outputs or errors', async () => {
    const { org } = await onboarded();
    // Every secret and token the org's clients ever had: a removed client's are gone from the simulator later.
    const secrets = new Set<string>([org.seeded.bootstrap.clientSecret]);
    const ids = new Set<string>();
    const collect = () => {
      for (const c of org.state.clients.values()) {
        secrets.add(c.secret);
        ids.add(c.id);
      }
      for (const token of world.simulator.tokens.keys()) secrets.add(token);
    };
    collect();
    const outcomes = [await org.rotate({ afterStep: collect }), await org.rotate({ afterStep: collect })];
    expect(secrets.size).toBeGreaterThan(3);
    const outputs = [...world.logs, ...outcomes.map((o) => JSON.stringify(o))];
    expect(findLeaks(outputs, secrets, [...ids])).toEqual([]);
  });
});
