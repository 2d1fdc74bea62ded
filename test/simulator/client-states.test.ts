import { randomUUID } from 'node:crypto';
import { GenesysSimulator, sampleOrgSeed } from '../../simulator';
import { NO_WAITS, simulatorHarness, sleep } from './harness';

const LINGER_MS = 200;

describe('simulator: OAuth client states and their tokens', () => {
  const harness = simulatorHarness(
    { ...NO_WAITS, deletedClientLingerMs: LINGER_MS },
    sampleOrgSeed({
      oauthClients: [
        { name: 'seeded-disabled', roles: ['employee'], state: 'disabled', secret: 'disabled-secret' },
        { name: 'seeded-inactive', roles: ['employee'], state: 'inactive', secret: 'inactive-secret' },
        { name: 'seeded-deleted', roles: ['employee'], state: 'deleted', secret: 'deleted-secret' },
      ],
    }),
  );
  const { call, clientBody, tokenFor } = harness;
  const { org } = harness.seeded;
  const seededId = (name: string) => [...org.clients.values()].find((c) => c.name === name)?.id as string;

  /** A new active client and a token of its own. */
  async function clientWithToken(name: string) {
    const created = await call('POST', '/api/v2/oauth/clients', clientBody({ name }));
    const id = created.body.id as string;
    const secret = created.body.secret as string;
    const token = (await tokenFor(id, secret)).body.access_token as string;
    const works = async () => (await call('GET', '/api/v2/organizations/me', undefined, token)).status;
    return { id, secret, works };
  }

  it('inactive: no new tokens; tokens already issued keep working', async () => {
    const client = await clientWithToken('goes-inactive');
    expect(await client.works()).toBe(200);
    const put = await call(
      'PUT',
      `/api/v2/oauth/clients/${client.id}`,
      clientBody({ name: 'goes-inactive', state: 'inactive' }),
    );
    expect(put.body.state).toBe('inactive');
    expect(await client.works()).toBe(200);
    const refused = await tokenFor(client.id, client.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
  });

  it('disabled: tokens stop at once and stay revoked; no new tokens until active again', async () => {
    const client = await clientWithToken('goes-disabled');
    await call(
      'PUT',
      `/api/v2/oauth/clients/${client.id}`,
      clientBody({ name: 'goes-disabled', state: 'disabled' }),
    );
    expect(await client.works()).toBe(401);
    expect((await tokenFor(client.id, client.secret)).body.error).toBe('invalid_client');
    await call(
      'PUT',
      `/api/v2/oauth/clients/${client.id}`,
      clientBody({ name: 'goes-disabled', state: 'active' }),
    );
    expect(await client.works()).toBe(401);
    expect((await tokenFor(client.id, client.secret)).status).toBe(200);
  });

  it('deleted: lingers listed and readable with state "deleted", tokens dead, then 404', async () => {
    const client = await clientWithToken('to-delete');
    await call(
      'PUT',
      `/api/v2/oauth/clients/${client.id}`,
      clientBody({ name: 'to-delete', state: 'inactive' }),
    );
    expect(await client.works()).toBe(200);
    const deletedAt = Date.now();
    expect((await call('DELETE', `/api/v2/oauth/clients/${client.id}`)).status).toBe(204);

    expect(await client.works()).toBe(401);
    expect((await tokenFor(client.id, client.secret)).body.error).toBe('invalid_client');
    const read = await call('GET', `/api/v2/oauth/clients/${client.id}`);
    expect(read.status).toBe(200);
    expect(read.body.state).toBe('deleted');
    expect(Date.parse(read.body.dateToDelete as string)).toBeGreaterThanOrEqual(deletedAt + LINGER_MS);
    const listed = (await call('GET', '/api/v2/oauth/clients')).body.entities as Array<{
      id: string;
      state: string;
    }>;
    expect(listed.find((c) => c.id === client.id)?.state).toBe('deleted');

    const put = await call('PUT', `/api/v2/oauth/clients/${client.id}`, read.body);
    expect(put.status).toBe(400);
    expect(put.body.message).toBe(`OAuth client ${client.id} has been deleted and cannot be changed`);
    expect((await call('POST', `/api/v2/oauth/clients/${client.id}/secret`)).status).toBe(400);
    expect((await call('DELETE', `/api/v2/oauth/clients/${client.id}`)).status).toBe(404);
    expect(Date.now() - deletedAt).toBeLessThan(LINGER_MS);

    await sleep(LINGER_MS + 20 - (Date.now() - deletedAt));
    expect((await call('GET', `/api/v2/oauth/clients/${client.id}`)).status).toBe(404);
    const after = (await call('GET', '/api/v2/oauth/clients')).body.entities as Array<{ id: string }>;
    expect(after.some((c) => c.id === client.id)).toBe(false);
    expect(org.clients.has(client.id)).toBe(false);
  });

  it('seeded disabled, inactive and deleted clients mint no tokens', async () => {
    expect((await tokenFor(seededId('seeded-disabled'), 'disabled-secret')).status).toBe(401);
    expect((await tokenFor(seededId('seeded-inactive'), 'inactive-secret')).status).toBe(401);
    expect((await tokenFor(seededId('seeded-deleted'), 'deleted-secret')).status).toBe(401);
  });

  it('a seeded deleted client lingers for deletedClientLingerMs after the org is added', async () => {
    const added = harness.simulator.addOrg(
      sampleOrgSeed({
        id: randomUUID(),
        name: 'Lingering',
        oauthClients: [{ id: randomUUID(), name: 'old', roles: ['employee'], state: 'deleted' }],
      }),
    );
    const addedAt = Date.now();
    const id = [...added.org.clients.values()].find((c) => c.name === 'old')?.id as string;
    const token = (await tokenFor(added.bootstrap.clientId, added.bootstrap.clientSecret)).body
      .access_token as string;
    const read = await call('GET', `/api/v2/oauth/clients/${id}`, undefined, token);
    expect(Date.now() - addedAt).toBeLessThan(LINGER_MS);
    expect(read.body.state).toBe('deleted');
    await sleep(LINGER_MS + 20 - (Date.now() - addedAt));
    expect((await call('GET', `/api/v2/oauth/clients/${id}`, undefined, token)).status).toBe(404);
  });

  it('defaults: a deleted client lingers 30 s', () => {
    const defaults = new GenesysSimulator();
    expect(defaults.knob('deletedClientLingerMs')).toBe(30_000);
    const before = Date.now();
    const { org: added } = defaults.addOrg(
      sampleOrgSeed({ oauthClients: [{ name: 'old', roles: ['employee'], state: 'deleted' }] }),
    );
    const purgeAt = [...added.clients.values()].find((c) => c.name === 'old')?.purgeAt ?? 0;
    expect(purgeAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(purgeAt).toBeLessThanOrEqual(Date.now() + 30_000);
  });
});
