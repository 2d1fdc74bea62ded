import { readdirSync, readFileSync, statSync } from 'node:fs';
import { OWNERSHIP_MARKER } from '../../../lambdas/shared/ownership';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { CLIENT_NAME, INTEGRATION_NAME, type OrgUnderTest, SimulatedOrgs } from './simulated-orgs';

const DESCRIPTION = `Used by the Genesys Cloud Data Actions integration ${OWNERSHIP_MARKER}`;
const FOLLOWING = (resultSecret: string, credential: string) => [
  `Credential, configuration, enable: ${credential}; write the integration's configuration where it differs (its notes with the ownership marker, that credential); enable it`,
  `Record the ids with the secret in ${resultSecret}`,
  "Verify: get a token with the client's credentials, then wait until the integration reports ACTIVE",
];

/** `--dry-run` of onboard and offboard: only the first, read-only step runs; nothing is changed anywhere. */
describe('genesys-onboard --dry-run', () => {
  const orgs = new SimulatedOrgs();
  beforeAll(() => orgs.start());
  afterAll(() => orgs.stop());

  const resultSecret = (o: OrgUnderTest) => `genesys-onboarding/${o.org.id}/data-actions-client`;
  const homeDivision = (o: OrgUnderTest) => o.org.divisions.find((d) => d.homeDivision)?.id;
  /** Runs a dry run and checks that it made no request that changes something, and wrote no file. */
  const dryRun = async (o: OrgUnderTest, args: string[]) => {
    const files = () =>
      readdirSync(o.dir, { recursive: true, encoding: 'utf8' }).map((f) => {
        const stat = statSync(`${o.dir}/${f}`);
        return `${f} ${stat.size} ${stat.mtimeMs}`;
      });
    const filesBefore = files();
    const before = orgs.simulator.requestLog.length;
    const result = await orgs.run([...args, '--dry-run'], o.env);
    expect(orgs.simulator.requestLog.length).toBeGreaterThan(before);
    expect(o.writesSince(before)).toEqual([]);
    expect(files()).toEqual(filesBefore);
    return result;
  };

  it('offboard --dry-run prints the plan (what, why, in order) and removes nothing', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const recordBefore = readFileSync(o.resultFile, 'utf8');
    const json = await dryRun(o, [...o.offboardArgs(), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      dryRun: true,
      status: 'PLANNED',
      orgId: o.org.id,
      region: 'eu-west-1',
      bootstrapSecretId: `genesys-onboarding/${o.org.id}/bootstrap`,
      resultSecretId: resultSecret(o),
      bootstrapClientId: o.bootstrap.clientId,
      integration: { id: ids.integrationId, why: 'the stored record names it' },
      credentials: [
        { id: ids.credentialId, why: `named after our integration (Integration-${ids.integrationId})` },
      ],
      clients: [{ id: ids.oauthClientId, why: 'the stored record names it' }],
      secret: { id: resultSecret(o), why: 'the org result secret' },
      alreadyAbsent: [],
      leftAlone: [],
      secretRecoveryWindowDays: 0,
      apiUrl: orgs.simulator.url,
      loginUrl: orgs.simulator.url,
    });

    const text = await dryRun(o, o.offboardArgs());
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Dry run of the offboarding of org ${o.org.id} \\(read-only: \\d+ Genesys calls, 0 of them changes, in \\d+\\.\\d s\\)$`,
      ),
    );
    expect(lines.slice(1)).toEqual([
      '  Would remove, in this order:',
      `    integration   ${ids.integrationId}: the stored record names it`,
      `    credential    ${ids.credentialId}: named after our integration (Integration-${ids.integrationId})`,
      `    OAuth client  ${ids.oauthClientId}: the stored record names it`,
      `    secret        ${resultSecret(o)}: the org result secret; the file store deletes its file at once (no recovery window)`,
      `  The bootstrap client ${o.bootstrap.clientId} is never removed.`,
      `  Genesys Cloud  region eu-west-1, API ${orgs.simulator.url}, login ${orgs.simulator.url}`,
      '  Nothing was changed: this was a dry run.',
      '',
    ]);
    expect(text.stderr).toMatch(/^✔ Check the org, find what is ours +\d+ ms {2}\d+ Genesys calls\n$/);
    expect(readFileSync(o.resultFile, 'utf8')).toBe(recordBefore);
    expect(o.liveClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
  });

  it('onboard --dry-run on a new org: the client and the integration would be created', async () => {
    const o = orgs.add();
    const result = await dryRun(o, [...o.onboardArgs(), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      dryRun: true,
      status: 'PLANNED',
      orgId: o.org.id,
      region: 'eu-west-1',
      apiUrl: orgs.simulator.url,
      loginUrl: orgs.simulator.url,
      bootstrapClientId: o.bootstrap.clientId,
      resultSecretId: resultSecret(o),
      oauthClient: {
        action: 'create',
        id: null,
        name: CLIENT_NAME,
        why: null,
        effects: [
          `with client credentials, roles "${SAMPLE_ROLE}" in division ${homeDivision(o)}, token validity 86400 s, description ${JSON.stringify(DESCRIPTION)}`,
          `its id and secret stored in ${resultSecret(o)}`,
        ],
      },
      integration: {
        action: 'create',
        id: null,
        name: INTEGRATION_NAME,
        why: null,
        effects: ['of type purecloud-data-actions ("Genesys Cloud Data Actions")'],
      },
      followingSteps: FOLLOWING(
        resultSecret(o),
        `create the credential "Integration-<new integration id>" with the client's id and secret`,
      ),
    });
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size).toBe(0);
  });

  it('onboard --dry-run on an onboarded org: uses what the record names, and shows a rename', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const same = await dryRun(o, o.onboardArgs());
    expect(same.code).toBe(0);
    expect(same.stdout.split('\n').slice(1, 6)).toEqual([
      `  OAuth client "${CLIENT_NAME}" (${ids.oauthClientId}): use it: the stored record names it`,
      '    - no change to its roles, token validity, description or state',
      `    - keep its stored secret in ${resultSecret(o)} if it still gets a token (a run checks), else give it a new one`,
      `  Integration "${INTEGRATION_NAME}" (${ids.integrationId}): use it: the stored record names it`,
      '    - it is enabled (ENABLED, reported ACTIVE): enabled again only if its credential or configuration changes',
    ]);

    const renamed = await dryRun(o, [
      ...o.onboardArgs('--integration-name', 'Acme Data Actions (EU)', '--rename-integration'),
      '--json',
    ]);
    expect(renamed.code).toBe(0);
    const plan = JSON.parse(renamed.stdout);
    expect(plan.integration).toEqual({
      action: 'use',
      id: ids.integrationId,
      name: 'Acme Data Actions (EU)',
      why: 'the stored record names it',
      effects: [
        `rename it from "${INTEGRATION_NAME}" (--rename-integration)`,
        'it is enabled (ENABLED, reported ACTIVE): enabled again only if its credential or configuration changes',
      ],
    });
    expect(plan.followingSteps[0]).toBe(
      FOLLOWING(
        resultSecret(o),
        `update our credential ${ids.credentialId} where it does not hold the client's id and secret`,
      )[0],
    );
    expect(o.org.integrations.get(ids.integrationId)?.name).toBe(INTEGRATION_NAME);
  });

  it('onboard --dry-run reports a refusal as its finding (exit 1), and what --adopt-existing would change', async () => {
    const o = orgs.add({
      oauthClients: [{ name: CLIENT_NAME, description: 'Made by hand', roles: [SAMPLE_ROLE] }],
      integrations: [{ name: INTEGRATION_NAME, type: 'purecloud-data-actions' }],
    });
    const [handMade] = o.liveClients();
    const [integration] = [...o.org.integrations.values()];
    const refused = await dryRun(o, [...o.onboardArgs(), '--json']);
    expect(refused.code).toBe(1);
    const finding = JSON.parse(refused.stdout);
    expect(finding).toEqual({
      dryRun: true,
      status: 'FAILED',
      orgId: o.org.id,
      error: 'Onboarding.NameTaken',
      cause: expect.stringContaining(
        `OAuth client "${CLIENT_NAME}" exists (id ${handMade?.id}, state active)`,
      ),
      region: 'eu-west-1',
      apiUrl: orgs.simulator.url,
      loginUrl: orgs.simulator.url,
    });
    expect(finding.cause).toContain('--adopt-existing');

    const text = await dryRun(o, o.onboardArgs());
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')[0]).toBe(
      `Dry run of the onboarding of org ${o.org.id}: a run would stop at "Check the org and the bootstrap client, resolve roles" (Prepare): Onboarding.NameTaken`,
    );
    expect(text.stderr).toMatch(
      /^✖ Check the org and the bootstrap client, resolve roles .*Onboarding\.NameTaken\n$/,
    );

    const adopted = await dryRun(o, [
      ...o.onboardArgs('--adopt-existing', '--token-validity', '3600'),
      '--json',
    ]);
    expect(adopted.code).toBe(0);
    const plan = JSON.parse(adopted.stdout);
    expect(plan.oauthClient).toEqual({
      action: 'adopt',
      id: handMade?.id,
      name: CLIENT_NAME,
      why: 'adopted on request (--adopt-existing): it carries no ownership marker',
      effects: [
        'token validity set to 3600 s (it is 86400)',
        `description set to ${JSON.stringify(DESCRIPTION)} (with the ownership marker)`,
        `give it a new secret, stored in ${resultSecret(o)} (the stored record does not hold this client's secret)`,
      ],
    });
    expect(plan.integration).toEqual({
      action: 'adopt',
      id: integration?.id,
      name: INTEGRATION_NAME,
      why: 'it has no credential configured, so nothing uses it',
      effects: ['enable it (it is DISABLED, reported INACTIVE)'],
    });
    expect(handMade?.description).toBe('Made by hand');
    expect(handMade?.accessTokenValiditySeconds).toBe(86_400);
  });
});
