import { configuredCredential, type Integration } from '../../../lambdas/genesys/models';

describe('configuredCredential', () => {
  const integration = (config: Integration['config']): Pick<Integration, 'config'> =>
    config ? { config } : {};

  it("gives the id of the config's pureCloudOAuthClient credential", () => {
    expect(
      configuredCredential(
        integration({
          current: {
            name: 'Acme Data Actions',
            version: 2,
            properties: {},
            advanced: {},
            notes: '',
            credentials: { pureCloudOAuthClient: { id: 'credential-1' } },
          },
        }),
      ),
    ).toBe('credential-1');
  });

  it('is undefined with no credential configured, or when the integration was read without its config', () => {
    expect(
      configuredCredential(
        integration({
          current: { name: 'A', version: 1, properties: {}, advanced: {}, notes: '', credentials: {} },
        }),
      ),
    ).toBeUndefined();
    expect(configuredCredential(integration(undefined))).toBeUndefined();
  });
});
