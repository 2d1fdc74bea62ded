import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator';
import { NO_WAITS, simulatorHarness } from './harness';

describe('Genesys Cloud simulator rules', () => {
  const harness = simulatorHarness({ ...NO_WAITS, activationDelayMs: 30 });
  const { simulator, tokenFor, call, clientBody } = harness;
  const { org, bootstrap } = harness.seeded;
  const roleId = harness.roleId;
  const homeId = harness.homeDivisionId;
  const url = harness.url;

  beforeEach(() => {
    simulator.faults.clear();
    simulator.options.rateLimit = undefined;
    simulator.options.newClientDelayMs = undefined;
  });

  describe('token endpoint', () => {
    it('issues a bearer token for the client-credentials grant', async () => {
      const reply = await tokenFor(bootstrap.clientId, bootstrap.clientSecret);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 86400,
      });
    });

    it('refuses a wrong secret with invalid_client in OAuth error form', async () => {
      const reply = await tokenFor(bootstrap.clientId, 'nope');
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        error: 'invalid_client',
        description: 'authentication failed',
        error_description: 'authentication failed',
      });
    });

    it('refuses other grant types and content types', async () => {
      const basic = `Basic ${Buffer.from(`${bootstrap.clientId}:${bootstrap.clientSecret}`).toString('base64')}`;
      const grant = await fetch(`${url()}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password',
      });
      expect(grant.status).toBe(400);
      const json = await fetch(`${url()}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/json' },
        body: '{"grant_type":"client_credentials"}',
      });
      expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
    });

    it('signals its own throttling as 400 invalid_request "rate limit exceeded"', async () => {
      simulator.options.tokenRateLimit = { requests: 1, windowMs: 60_000 };
      await tokenFor(bootstrap.clientId, bootstrap.clientSecret);
      const reply = await tokenFor(bootstrap.clientId, bootstrap.clientSecret);
      simulator.options.tokenRateLimit = undefined;
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_request');
      expect(reply.body.error_description).toMatch(/^rate limit exceeded;/);
    });
  });

  describe('bearer auth and permissions', () => {
    it('requires a bearer token', async () => {
      const reply = await call('GET', '/api/v2/organizations/me', undefined, '');
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ code: 'authentication.required', status: 401 });
      const bad = await call('GET', '/api/v2/organizations/me', undefined, 'not-a-token');
      expect(bad.body.code).toBe('bad.credentials');
    });

    it('answers errors in the ErrorBody shape with a correlation id header', async () => {
      const reply = await call('GET', '/api/v2/oauth/clients/does-not-exist');
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        message: 'OAuth client not found',
        code: 'not.found',
        status: 404,
        messageWithParams: 'OAuth client not found',
        messageParams: {},
        contextId: reply.headers.get('inin-correlation-id'),
        details: [],
        errors: [],
      });
    });

    it('refuses a call without the permission with 403 missing.any.permissions', async () => {
      const limited = simulator.addOrg({ name: 'Employees only', bootstrap: { roles: ['employee'] } });
      const limitedToken = (await tokenFor(limited.bootstrap.clientId, limited.bootstrap.clientSecret)).body
        .access_token as string;
      const reply = await call(
        'POST',
        '/api/v2/integrations',
        { name: 'x', integrationType: { id: 'purecloud-data-actions' } },
        limitedToken,
      );
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('missing.any.permissions');
      expect(reply.body.message).toContain('[integrations:integration:add]');
      expect(
        (await call('GET', '/api/v2/authorization/divisions/home', undefined, limitedToken)).status,
      ).toBe(200);
      expect((await call('GET', '/api/v2/tokens/me', undefined, limitedToken)).status).toBe(200);
    });

    it('limits requests per token with 429, Retry-After and the normalised body', async () => {
      simulator.options.rateLimit = { requests: 2, windowMs: 60_000 };
      const fresh = (await tokenFor(bootstrap.clientId, bootstrap.clientSecret)).body.access_token as string;
      await call('GET', '/api/v2/organizations/me', undefined, fresh);
      await call('GET', '/api/v2/organizations/me', undefined, fresh);
      const limited = await call('GET', '/api/v2/organizations/me', undefined, fresh);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
      expect(limited.body).toMatchObject({ code: 'too.many.requests.retry.after', status: 429 });
      expect(limited.body.message).toMatch(
        /^Rate limit exceeded the maximum\. Retry the request in \[\d+\] seconds$/,
      );
    });
  });

  describe('roles', () => {
    it('filters by name prefix, case-insensitively: not exact', async () => {
      const reply = await call('GET', `/api/v2/authorization/roles?name=${encodeURIComponent(SAMPLE_ROLE)}`);
      const names = (reply.body.entities as Array<{ name: string }>).map((r) => r.name);
      expect(names).toHaveLength(3);
      expect(names).toContain(SAMPLE_ROLE);
    });

    it('pages with pageSize, pageNumber, pageCount and nextUri', async () => {
      const first = await call('GET', '/api/v2/authorization/roles?pageSize=2&pageNumber=1');
      expect(first.body).toMatchObject({ pageSize: 2, pageNumber: 1, total: org.roles.length, pageCount: 4 });
      expect(first.body.nextUri).toContain('pageNumber=2');
      const last = await call('GET', '/api/v2/authorization/roles?pageSize=2&pageNumber=4');
      expect(last.body.nextUri).toBeUndefined();
      expect(last.body.previousUri).toContain('pageNumber=3');
    });
  });

  describe('OAuth clients', () => {
    it('refuses unknown fields and wrong enum spellings', async () => {
      const unknown = await call('POST', '/api/v2/oauth/clients', clientBody({ roleDivisionIds: [] }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('roleDivisionIds');
      const underscore = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ authorizedGrantType: 'CLIENT_CREDENTIALS' }),
      );
      expect(underscore.status).toBe(400);
      expect(underscore.body.message).toContain('authorizedGrantType');
      const validity = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ accessTokenValiditySeconds: 10 }),
      );
      expect(validity.status).toBe(400);
    });

    it('requires roles for a client-credentials client', async () => {
      const reply = await call('POST', '/api/v2/oauth/clients', clientBody({ roleDivisions: [] }));
      expect(reply.status).toBe(400);
      expect(reply.body.message).toMatch(/at least one role/);
    });

    it('refuses to grant a role the caller does not hold', async () => {
      const reply = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ roleDivisions: [{ roleId: roleId('Supervisor'), divisionId: homeId() }] }),
      );
      expect(reply.status).toBe(400);
      expect(reply.body.message).toContain(roleId('Supervisor'));
      const clientsNamed = [...org.clients.values()].filter((c) => c.name === 'rules-client');
      expect(clientsNamed).toHaveLength(0);
    });

    it('refuses a role held only in another division', async () => {
      const scoped = simulator.addOrg(
        sampleOrgSeed({
          id: undefined,
          name: 'Scoped',
          bootstrap: { roles: ['admin', { role: SAMPLE_ROLE, division: 'Support' }] },
        }),
      );
      const scopedToken = (await tokenFor(scoped.bootstrap.clientId, scoped.bootstrap.clientSecret)).body
        .access_token as string;
      const home = scoped.org.divisions.find((d) => d.homeDivision)?.id;
      const support = scoped.org.divisions.find((d) => d.name === 'Support')?.id;
      const role = scoped.org.roles.find((r) => r.name === SAMPLE_ROLE)?.id;
      const refused = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ roleDivisions: [{ roleId: role, divisionId: home }] }),
        scopedToken,
      );
      expect(refused.status).toBe(400);
      const allowed = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ roleDivisions: [{ roleId: role, divisionId: support }] }),
        scopedToken,
      );
      expect(allowed.status).toBe(200);
    });

    it('returns the secret only on create and regenerate; regenerate retires the old secret', async () => {
      const created = await call('POST', '/api/v2/oauth/clients', clientBody());
      expect(created.status).toBe(200);
      const id = created.body.id as string;
      const firstSecret = created.body.secret as string;
      expect(firstSecret).toEqual(expect.any(String));
      expect((await call('GET', `/api/v2/oauth/clients/${id}`)).body).not.toHaveProperty('secret');
      const listed = (await call('GET', '/api/v2/oauth/clients')).body.entities as Array<
        Record<string, unknown>
      >;
      expect(listed.every((c) => !('secret' in c))).toBe(true);
      const put = await call('PUT', `/api/v2/oauth/clients/${id}`, clientBody({ description: 'x' }));
      expect(put.body).not.toHaveProperty('secret');

      expect((await tokenFor(id, firstSecret)).status).toBe(200);
      const regenerated = await call('POST', `/api/v2/oauth/clients/${id}/secret`);
      expect(regenerated.body.secret).not.toBe(firstSecret);
      expect((await tokenFor(id, firstSecret)).status).toBe(401);
      expect((await tokenFor(id, regenerated.body.secret as string)).status).toBe(200);
    });

    it('deletes a client only once it is inactive, and revokes its tokens', async () => {
      const created = await call('POST', '/api/v2/oauth/clients', clientBody({ name: 'to-delete' }));
      const id = created.body.id as string;
      const clientToken = (await tokenFor(id, created.body.secret as string)).body.access_token as string;
      const refused = await call('DELETE', `/api/v2/oauth/clients/${id}`);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/inactive/);
      expect(
        (
          await call(
            'PUT',
            `/api/v2/oauth/clients/${id}`,
            clientBody({ name: 'to-delete', state: 'inactive' }),
          )
        ).status,
      ).toBe(200);
      expect((await call('DELETE', `/api/v2/oauth/clients/${id}`)).status).toBe(204);
      expect((await call('GET', `/api/v2/oauth/clients/${id}`)).body.state).toBe('deleted');
      expect((await call('GET', '/api/v2/organizations/me', undefined, clientToken)).status).toBe(401);
    });

    it('makes a new client wait before its credentials work', async () => {
      simulator.options.newClientDelayMs = 200;
      const created = await call('POST', '/api/v2/oauth/clients', clientBody({ name: 'slow-to-propagate' }));
      const secret = created.body.secret as string;
      expect((await tokenFor(created.body.id as string, secret)).body.error).toBe('invalid_client');
      await new Promise((r) => setTimeout(r, 220));
      expect((await tokenFor(created.body.id as string, secret)).status).toBe(200);
    });
  });

  describe('integrations, credentials and config', () => {
    async function newIntegration(name: string) {
      const created = await call('POST', '/api/v2/integrations', {
        name,
        integrationType: { id: 'purecloud-data-actions' },
      });
      expect(created.status).toBe(200);
      return created.body.id as string;
    }

    it('refuses unknown integration types and unknown fields', async () => {
      expect(
        (await call('POST', '/api/v2/integrations', { name: 'x', integrationType: { id: 'nope' } })).status,
      ).toBe(400);
      expect(
        (
          await call('POST', '/api/v2/integrations', {
            name: 'x',
            integrationType: { id: 'purecloud-data-actions' },
            state: 1,
          })
        ).status,
      ).toBe(400);
    });

    it('requires the credential type as an object and exact field keys', async () => {
      const asString = await call('POST', '/api/v2/integrations/credentials', {
        name: 'c',
        type: 'pureCloudOAuthClient',
        credentialFields: { clientId: 'a', clientSecret: 'b' },
      });
      expect(asString.status).toBe(400);
      expect(asString.body.message).toContain('type');
      const wrongCase = await call('POST', '/api/v2/integrations/credentials', {
        name: 'c',
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientid: 'a', clientSecret: 'b' },
      });
      expect(wrongCase.status).toBe(400);
      expect(wrongCase.body.message).toContain('clientId');
    });

    it('never returns a credential secret', async () => {
      const created = await call('POST', '/api/v2/integrations/credentials', {
        name: 'c',
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: 'a', clientSecret: 'very-secret-value' },
      });
      expect(JSON.stringify(created.body)).not.toContain('very-secret-value');
      const read = await call('GET', `/api/v2/integrations/credentials/${created.body.id}`);
      expect(JSON.stringify(read.body)).not.toContain('very-secret-value');
    });

    it('versions the config: a stale version is a 409 conflict', async () => {
      const id = await newIntegration('versioned');
      const config = (await call('GET', `/api/v2/integrations/${id}/config/current`)).body;
      expect(config.version).toBe(1);
      expect(config.notes).toBe('node_dynamodb_empty_string');
      const first = await call('PUT', `/api/v2/integrations/${id}/config/current`, { ...config, notes: 'n' });
      expect(first.body.version).toBe(2);
      const stale = await call('PUT', `/api/v2/integrations/${id}/config/current`, { ...config, notes: 'm' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('general.conflict');
      const { credentials: _c, ...missing } = config;
      expect(
        (await call('PUT', `/api/v2/integrations/${id}/config/current`, { ...missing, version: 2 })).status,
      ).toBe(400);
    });

    it('enables only with a pureCloudOAuthClient credential, then goes ACTIVATING to ACTIVE', async () => {
      const id = await newIntegration('enable-me');
      const refused = await call('PATCH', `/api/v2/integrations/${id}`, { intendedState: 'ENABLED' });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('pureCloudOAuthClient');

      const client = await call('POST', '/api/v2/oauth/clients', clientBody({ name: 'for-enable' }));
      const credential = await call('POST', '/api/v2/integrations/credentials', {
        name: `Integration-${id}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: client.body.id, clientSecret: client.body.secret },
      });
      const config = (await call('GET', `/api/v2/integrations/${id}/config/current`)).body;
      await call('PUT', `/api/v2/integrations/${id}/config/current`, {
        ...config,
        credentials: { pureCloudOAuthClient: { id: credential.body.id } },
      });
      const enabled = await call('PATCH', `/api/v2/integrations/${id}`, { intendedState: 'ENABLED' });
      expect(enabled.body).toMatchObject({ intendedState: 'ENABLED', reportedState: { code: 'ACTIVATING' } });
      await new Promise((r) => setTimeout(r, 50));
      expect(
        ((await call('GET', `/api/v2/integrations/${id}`)).body.reportedState as { code: string }).code,
      ).toBe('ACTIVE');
      expect((await call('DELETE', `/api/v2/integrations/credentials/${credential.body.id}`)).status).toBe(
        400,
      );
      expect((await call('DELETE', `/api/v2/integrations/${id}`)).body.id).toBe(id);
      expect((await call('DELETE', `/api/v2/integrations/credentials/${credential.body.id}`)).status).toBe(
        204,
      );
    });

    it('reports ERROR when the configured credential does not authenticate', async () => {
      const id = await newIntegration('bad-credential');
      const credential = await call('POST', '/api/v2/integrations/credentials', {
        name: `Integration-${id}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: bootstrap.clientId, clientSecret: 'wrong' },
      });
      const config = (await call('GET', `/api/v2/integrations/${id}/config/current`)).body;
      await call('PUT', `/api/v2/integrations/${id}/config/current`, {
        ...config,
        credentials: { pureCloudOAuthClient: { id: credential.body.id } },
      });
      await call('PATCH', `/api/v2/integrations/${id}`, { intendedState: 'ENABLED' });
      await new Promise((r) => setTimeout(r, 50));
      expect(
        ((await call('GET', `/api/v2/integrations/${id}`)).body.reportedState as { code: string }).code,
      ).toBe('ERROR');
    });

    it('caps the credentials listing page size at 200', async () => {
      expect((await call('GET', '/api/v2/integrations/credentials/listing?pageSize=201')).status).toBe(400);
      expect((await call('GET', '/api/v2/integrations/credentials/listing?pageSize=200')).status).toBe(200);
    });
  });

  describe('transport rules and knobs', () => {
    it('refuses bodies over request.bytes.max and non-JSON content types', async () => {
      const big = await call('POST', '/api/v2/integrations', {
        name: 'x'.repeat(600_000),
        integrationType: { id: 'x' },
      });
      expect(big.status).toBe(413);
      const response = await fetch(`${url()}/api/v2/integrations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${harness.token()}`, 'Content-Type': 'text/plain' },
        body: '{}',
      });
      expect(response.status).toBe(415);
    });

    it('plays scripted faults in order and logs every request', async () => {
      simulator.requestLog.length = 0;
      simulator.injectFault({
        path: '/api/v2/organizations/me',
        fault: { kind: 'status', status: 503 },
        after: 1,
      });
      expect((await call('GET', '/api/v2/organizations/me')).status).toBe(200);
      expect((await call('GET', '/api/v2/organizations/me')).status).toBe(503);
      expect((await call('GET', '/api/v2/organizations/me')).status).toBe(200);
      expect(simulator.requestLog.map((e) => e.status)).toEqual([200, 503, 200]);
      expect(simulator.requestLog[1]).toMatchObject({ fault: 'status', route: '/api/v2/organizations/me' });
    });

    it('matches scripted faults by route template', async () => {
      simulator.injectFault({
        method: 'GET',
        path: '/api/v2/oauth/clients/{clientId}',
        fault: { kind: 'status', status: 500 },
      });
      expect((await call('GET', `/api/v2/oauth/clients/${bootstrap.clientId}`)).status).toBe(500);
      expect((await call('GET', `/api/v2/oauth/clients/${bootstrap.clientId}`)).status).toBe(200);
    });

    it('draws the same random faults from the same seed', async () => {
      const run = async () => {
        simulator.setRandomFaults({ seed: 42, rate: 0.5, kinds: ['429', '503'] });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await call('GET', '/api/v2/organizations/me')).status);
        simulator.setRandomFaults(undefined);
        return statuses;
      };
      const first = await run();
      expect(first.some((s) => s !== 200)).toBe(true);
      expect(first.some((s) => s === 200)).toBe(true);
      expect(await run()).toEqual(first);
    });

    it('resets connections on a reset fault', async () => {
      simulator.injectFault({ path: '/api/v2/organizations/me', fault: { kind: 'reset' } });
      await expect(call('GET', '/api/v2/organizations/me')).rejects.toThrow();
    });

    it('adds the configured latency to every answer', async () => {
      simulator.options.latencyMs = 60;
      const started = Date.now();
      await call('GET', '/api/v2/organizations/me');
      simulator.options.latencyMs = undefined;
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    });

    it('answers 404 for unknown paths and 405 for unknown methods', async () => {
      expect((await call('GET', '/api/v2/nothing-here')).status).toBe(404);
      expect((await call('PATCH', '/api/v2/oauth/clients')).status).toBe(405);
    });
  });
});
