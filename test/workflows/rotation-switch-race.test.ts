import { randomUUID } from 'node:crypto';
import { OAUTH_CREDENTIAL_TYPE } from '../../lambdas/genesys/models';
import { resultSecretName } from '../../lambdas/shared/naming';
import { rotate } from '../../lambdas/workflows/rotation/rotate';
import { PREFIX, resultOf, WorkflowWorld } from '../support/workflow';

/**
 * Two rotations of one org at once (two local runs; Secrets Manager never runs two): the one whose pending
 * version was replaced must not undo the other's switch when its config PUT meets a version conflict.
 */
describe("setSecret's switch when another rotation replaced this one's version meanwhile", () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start({}, { readinessPollMs: 20 });
  });
  afterAll(() => world.stop());

  it('stops with Rotation.Superseded at the retry after the conflict, leaving the other rotation its switch', async () => {
    const org = await world.newOrg();
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const { integrationId } = resultOf(execution);
    const secretId = resultSecretName(PREFIX, org.id);
    // An adopted integration: createSecret reuses no credential, so each rotation's version names its own.
    const record = JSON.parse((await world.secrets.get(secretId))?.value ?? '{}');
    await world.secrets.put({
      name: secretId,
      value: JSON.stringify({ ...record, integrationAdopted: true }),
    });
    const ours = randomUUID();
    const theirs = randomUUID();
    const step = (Step: 'createSecret' | 'setSecret', fetch?: typeof globalThis.fetch) =>
      rotate({ SecretId: secretId, ClientRequestToken: ours, Step }, world.deps({}, fetch), {
        requireRotationEnabled: false,
      });
    await step('createSecret');
    const ourCredential = JSON.parse(
      (await world.secrets.get(secretId, { stage: 'AWSPENDING' }))?.value ?? '{}',
    ).credentialId as string;

    const configPath = `/api/v2/integrations/${integrationId}/config/current`;
    const stop = new Error('the other run stops after its switch');
    let otherRan = false;
    let otherFailure: unknown;
    // After this run read the config and checked its version, before its PUT: another rotation replaces the
    // version and switches the integration, so this PUT meets a version conflict and is retried.
    const meanwhile: typeof fetch = async (input, init) => {
      if (!otherRan && init?.method === 'PUT' && new URL(String(input)).pathname === configPath) {
        otherRan = true;
        await org
          .rotate({
            token: theirs,
            afterStep: (done) => {
              if (done === 'setSecret') throw stop;
            },
          })
          .catch((error: unknown) => {
            otherFailure = error;
          });
      }
      return fetch(input, init);
    };
    const before = world.simulator.requestLog.length;
    await expect(step('setSecret', meanwhile)).rejects.toMatchObject({
      name: 'Rotation.Superseded',
      message: `Version ${ours} of ${secretId} is no longer AWSPENDING: another rotation replaced or finished it, so the integration is not switched to this version's credential`,
    });

    expect(otherFailure).toBe(stop);
    const theirRecord = JSON.parse(
      (await world.secrets.get(secretId, { stage: 'AWSPENDING' }))?.value ?? '{}',
    );
    expect((await world.secrets.describe(secretId))?.versions?.[theirs]).toEqual(['AWSPENDING']);
    expect(theirRecord.credentialId).not.toBe(ourCredential);
    const config = org.state.integrations.get(integrationId)?.config;
    expect(config?.credentials[OAUTH_CREDENTIAL_TYPE]?.id).toBe(theirRecord.credentialId);
    // The other's switch (200), this run's stale PUT (a version conflict), and no PUT after it.
    const puts = world.simulator.requestLog
      .slice(before)
      .filter((entry) => entry.method === 'PUT' && entry.path === configPath)
      .map((entry) => entry.status);
    expect(puts).toEqual([200, 409]);
  });
});
