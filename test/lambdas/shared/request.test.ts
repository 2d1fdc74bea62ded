import { canonicalJson, executionName } from '../../../lambdas/shared/naming';
import { parseOnboardingRequest } from '../../../lambdas/shared/request';
import { InvalidRequestError } from '../../../lambdas/shared/request-fields';
import { sampleRequest } from '../../support/requests';

const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';
const defaults = { secretPrefix: 'genesys-onboarding' };
const valid = sampleRequest(ORG);

function problemsOf(input: unknown): Array<{ field: string; problem: string }> {
  try {
    parseOnboardingRequest(input, defaults);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseOnboardingRequest', () => {
  it('fills in the defaults', () => {
    expect(
      parseOnboardingRequest({ ...valid, orgId: ORG.toUpperCase(), region: 'MyPureCloud.ie' }, defaults),
    ).toEqual({
      orgId: ORG,
      region: 'mypurecloud.ie',
      oauthClient: {
        name: 'acme-data-actions',
        description: 'Used by the Genesys Cloud Data Actions integration',
        roles: ['Data Actions Runtime'],
        accessTokenValiditySeconds: 86400,
      },
      integration: { name: 'Acme Data Actions', notes: '' },
      bootstrapSecretId: `genesys-onboarding/${ORG}/bootstrap`,
      adoptExisting: false,
      renameIntegration: false,
    });
  });

  it.each([
    ['not an object', 'x', 'body', 'must be a JSON object'],
    ['missing orgId', { ...valid, orgId: undefined }, 'orgId', 'is required'],
    [
      'org id not a UUID',
      { ...valid, orgId: 'acme' },
      'orgId',
      'must be a Genesys Cloud organization id (a UUID)',
    ],
    ['org id a number', { ...valid, orgId: 42 }, 'orgId', 'must be a string'],
    [
      'a region that is no name',
      { ...valid, region: 'eu west/1' },
      'region',
      'must be a Genesys Cloud region',
    ],
    [
      "another org's bootstrap secret",
      { ...valid, bootstrapSecretId: 'genesys-onboarding/00000000-0000-4000-8000-000000000000/bootstrap' },
      'bootstrapSecretId',
      `must name a secret of this org: genesys-onboarding/${ORG}/<name>`,
    ],
    [
      'a bootstrap secret outside the prefix',
      { ...valid, bootstrapSecretId: `other/${ORG}/bootstrap` },
      'bootstrapSecretId',
      'must name a secret of this org',
    ],
    [
      'a bootstrap secret that is the org folder itself',
      { ...valid, bootstrapSecretId: `genesys-onboarding/${ORG}` },
      'bootstrapSecretId',
      'must name a secret of this org',
    ],
    [
      'a bootstrap secret that climbs out',
      { ...valid, bootstrapSecretId: `genesys-onboarding/${ORG}/../other/bootstrap` },
      'bootstrapSecretId',
      'must name a secret of this org',
    ],
    [
      'adoptExisting not a boolean',
      { ...valid, adoptExisting: 'yes' },
      'adoptExisting',
      'must be true or false',
    ],
    [
      'a description with no room left for the ownership marker',
      { ...valid, oauthClient: { ...valid.oauthClient, description: 'x'.repeat(990) } },
      'oauthClient.description',
      'must be at most 968 characters',
    ],
    [
      'no roles',
      { ...valid, oauthClient: { name: 'x', roles: [] } },
      'oauthClient.roles',
      'must name at least one role',
    ],
    [
      'duplicate roles',
      { ...valid, oauthClient: { name: 'x', roles: ['a', 'a'] } },
      'oauthClient.roles',
      'must not name a role twice',
    ],
    [
      'roles not a list',
      { ...valid, oauthClient: { name: 'x', roles: 'a' } },
      'oauthClient.roles',
      'must be an array of role names',
    ],
    [
      'empty role',
      { ...valid, oauthClient: { name: 'x', roles: [' '] } },
      'oauthClient.roles.0',
      'must not be empty',
    ],
    [
      'long name',
      { ...valid, oauthClient: { name: 'x'.repeat(201), roles: ['a'] } },
      'oauthClient.name',
      'must be at most 200 characters',
    ],
    [
      'control character',
      { ...valid, integration: { name: 'a\u0000b' } },
      'integration.name',
      'must not contain control characters',
    ],
    [
      'line separator',
      { ...valid, integration: { name: 'a\u2028b' } },
      'integration.name',
      'must not contain control characters',
    ],
    [
      'bad division',
      { ...valid, oauthClient: { ...valid.oauthClient, divisionId: 'home' } },
      'oauthClient.divisionId',
      'must be a division id',
    ],
    [
      'validity too short',
      { ...valid, oauthClient: { ...valid.oauthClient, accessTokenValiditySeconds: 60 } },
      'oauthClient.accessTokenValiditySeconds',
      'must be at least 300 seconds',
    ],
    [
      'validity fractional',
      { ...valid, oauthClient: { ...valid.oauthClient, accessTokenValiditySeconds: 300.5 } },
      'oauthClient.accessTokenValiditySeconds',
      'must be a whole number of seconds',
    ],
    ['unknown field', { ...valid, secret: 'x' }, 'secret', 'is not a known field'],
    [
      'unknown nested field',
      { ...valid, oauthClient: { ...valid.oauthClient, clientSecret: 'x' } },
      'oauthClient.clientSecret',
      'is not a known field',
    ],
    ['integration missing', { ...valid, integration: undefined }, 'integration', 'is required'],
    [
      'bad secret id',
      { ...valid, bootstrapSecretId: 'a b' },
      'bootstrapSecretId',
      'must be a Secrets Manager secret name or ARN',
    ],
    ['bad idempotency key', { ...valid, idempotencyKey: 'a/b' }, 'idempotencyKey', 'must be 1 to 64 letters'],
  ])('refuses %s, naming the field', (_, input, field, problem) => {
    const problems = problemsOf(input);
    expect(problems).toContainEqual({ field, problem: expect.stringContaining(problem) });
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ orgId: 1, region: 2, oauthClient: {}, integration: {} });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['integration.name', 'oauthClient.name', 'oauthClient.roles', 'orgId', 'region'].sort(),
    );
  });

  it("accepts the org's own bootstrap secret, by name or ARN, whatever the case of the org id", () => {
    const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/${ORG.toUpperCase()}/bootstrap-AbCdEf`;
    expect(parseOnboardingRequest({ ...valid, bootstrapSecretId: arn }, defaults).bootstrapSecretId).toBe(
      arn,
    );
    const name = `genesys-onboarding/${ORG}/sandbox-bootstrap`;
    expect(parseOnboardingRequest({ ...valid, bootstrapSecretId: name }, defaults).bootstrapSecretId).toBe(
      name,
    );
    const nested = { secretPrefix: 'acme/onboarding' };
    expect(
      parseOnboardingRequest({ ...valid, bootstrapSecretId: `acme/onboarding/${ORG}/bootstrap` }, nested)
        .bootstrapSecretId,
    ).toBe(`acme/onboarding/${ORG}/bootstrap`);
  });

  it('accepts a region the table does not know (its URLs come from the bootstrap secret)', () => {
    expect(parseOnboardingRequest({ ...valid, region: 'EU-West-9' }, defaults).region).toBe('eu-west-9');
    expect(parseOnboardingRequest({ ...valid, region: 'gc.example.com' }, defaults).region).toBe(
      'gc.example.com',
    );
  });

  it('takes adoptExisting and renameIntegration when asked', () => {
    const parsed = parseOnboardingRequest(
      { ...valid, adoptExisting: true, renameIntegration: true },
      defaults,
    );
    expect(parsed).toMatchObject({ adoptExisting: true, renameIntegration: true });
  });

  it('allows "*" as the division: all divisions', () => {
    expect(
      parseOnboardingRequest({ ...valid, oauthClient: { ...valid.oauthClient, divisionId: '*' } }, defaults)
        .oauthClient.divisionId,
    ).toBe('*');
  });
});

describe('executionName', () => {
  const request = parseOnboardingRequest(valid, defaults);

  it('is deterministic, valid for Step Functions, and changes with the request', () => {
    const name = executionName(request);
    expect(name).toMatch(/^onb-7f3d2a9e-[0-9a-f]{40}$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(executionName(parseOnboardingRequest({ ...valid }, defaults))).toBe(name);
    expect(executionName({ ...request, integration: { name: 'Other', notes: '' } })).not.toBe(name);
  });

  it('follows the idempotency key instead of the content when one is given', () => {
    const keyed = executionName({ ...request, idempotencyKey: 'k' });
    expect(
      executionName({ ...request, integration: { name: 'Other', notes: '' }, idempotencyKey: 'k' }),
    ).toBe(keyed);
    expect(keyed).not.toBe(executionName(request));
  });

  it('sorts keys canonically', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: undefined }] })).toBe('{"a":[{"d":1}],"b":1}');
  });
});
