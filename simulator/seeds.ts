import type { OrgSeed } from './state';

/** The role the sample onboarding grants to the Data Actions client. */
export const SAMPLE_ROLE = 'Data Actions Runtime';

/**
 * A sample org: the role to grant among look-alike names (the API's name filter is a prefix match), a role
 * the bootstrap client does not hold, a second division, and a bootstrap client holding admin and the role.
 */
export function sampleOrgSeed(overrides: Partial<OrgSeed> = {}): OrgSeed {
  return {
    id: '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37',
    name: 'Acme Contact Center',
    roles: [
      {
        name: SAMPLE_ROLE,
        permissions: ['directory:user:view', 'routing:queue:view', 'conversation:*:view'],
      },
      { name: `${SAMPLE_ROLE} (legacy)`, permissions: ['directory:user:view'] },
      { name: SAMPLE_ROLE.toLowerCase(), permissions: ['directory:user:view'] },
      { name: 'Data Actions', permissions: ['integrations:action:*'] },
      { name: 'Supervisor', permissions: ['analytics:*:view', 'routing:queue:view'] },
    ],
    divisions: ['Support'],
    bootstrap: { roles: ['admin', SAMPLE_ROLE] },
    ...overrides,
  };
}
