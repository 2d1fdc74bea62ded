import { randomUUID } from 'node:crypto';
import type { OAuthClientSeed, OrgSeed } from './state';

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

/** Active client-credentials clients of the realistic org, beside the ones with a story of their own. */
const EVERYDAY_CLIENTS = [
  'power-bi-connector',
  'salesforce-cti',
  'zendesk-sync',
  'recording-bulk-export',
  'quality-evaluations-export',
  'wallboard-feed',
  'speech-analytics-export',
  'outbound-dialer-sync',
  'survey-results',
  'hr-roster-import',
  'queue-stats-poller',
  'callback-scheduler',
  'teams-presence-sync',
  'slack-alerts',
  'billing-usage-report',
  'knowledge-base-sync',
  'sms-gateway',
  'email-routing-rules',
  'gdpr-requests',
  'architect-deployer',
  'terraform-cx-as-code',
  'audit-log-shipper',
  'ivr-reporting',
  'scim-provisioning',
];

/** The sample onboarding's client name, which the realistic org has as a lingering deleted client. */
export const SAMPLE_CLIENT_NAME = 'acme-data-actions';

/**
 * An org in the shapes real orgs have (genesys-cloud-api.md §3, §14), on top of {@link sampleOrgSeed}'s
 * roles, divisions and bootstrap client: 30 more OAuth clients created over the last two years, so the client
 * listing has two pages of 25:
 * - `crm-sync` with two roles (`Data Actions Runtime`, `Supervisor`), used by an ACTIVE Data Actions
 *   integration `CRM Data Actions` that someone else configured;
 * - `wfm-export`, `disabled` by Genesys support, still configured in `Billing Data Actions`, which reports
 *   ERROR;
 * - `acme-data-actions` (the sample onboarding's client name), `deleted` and lingering;
 * - `legacy-ivr-bridge`, `inactive`; `agent-desktop-sso` (CODE) and `chat-widget` (TOKEN), without roles;
 * - 24 everyday active client-credentials clients.
 * Integrations of other types (`Zendesk Web Services`, ACTIVE with basicAuth; `Agent Script Helper`, a client
 * app), an unconfigured DISABLED Data Actions integration `Data Actions`, and a left-over credential no
 * integration uses. Every call makes new ids.
 */
export function realisticOrgSeed(overrides: Partial<OrgSeed> = {}): OrgSeed {
  const daysAgo = (days: number) => new Date(Date.UTC(2026, 10, 1, 9) - days * 86_400_000).toISOString();
  const crmIntegrationId = randomUUID();
  const billingIntegrationId = randomUUID();
  const oauthClients: OAuthClientSeed[] = [
    {
      name: 'crm-sync',
      description: 'Data Actions for the CRM team',
      roles: [SAMPLE_ROLE, 'Supervisor'],
      dateCreated: daysAgo(690),
    },
    {
      name: 'wfm-export',
      description: 'Workforce management export',
      roles: ['Supervisor'],
      state: 'disabled',
      dateCreated: daysAgo(600),
    },
    {
      name: SAMPLE_CLIENT_NAME,
      description: 'Data Actions client, deleted by an administrator',
      roles: [SAMPLE_ROLE],
      state: 'deleted',
      dateCreated: daysAgo(45),
    },
    {
      name: 'legacy-ivr-bridge',
      description: 'Old IVR bridge, to be deleted',
      roles: ['employee'],
      state: 'inactive',
      dateCreated: daysAgo(720),
    },
    {
      name: 'agent-desktop-sso',
      authorizedGrantType: 'CODE',
      registeredRedirectUri: ['https://desktop.example.com/callback'],
      dateCreated: daysAgo(500),
    },
    {
      name: 'chat-widget',
      authorizedGrantType: 'TOKEN',
      registeredRedirectUri: ['https://www.example.com/chat'],
      dateCreated: daysAgo(400),
    },
    ...EVERYDAY_CLIENTS.map((name, i) => ({
      name,
      description: `Integration: ${name}`,
      roles: [i % 3 === 0 ? 'Supervisor' : 'employee'],
      dateCreated: daysAgo(680 - i * 27),
    })),
  ];
  return sampleOrgSeed({
    id: 'c4a9e2b7-3d1f-4a6e-8b5c-9f0e1d2a3b4c',
    name: 'Globex Customer Care',
    oauthClients,
    integrations: [
      {
        id: crmIntegrationId,
        name: 'CRM Data Actions',
        type: 'purecloud-data-actions',
        notes: 'Managed by the CRM team',
        intendedState: 'ENABLED',
        credential: { name: `Integration-${crmIntegrationId}`, forClient: 'crm-sync' },
      },
      {
        id: billingIntegrationId,
        name: 'Billing Data Actions',
        type: 'purecloud-data-actions',
        intendedState: 'ENABLED',
        credential: { name: `Integration-${billingIntegrationId}`, forClient: 'wfm-export' },
      },
      {
        name: 'Zendesk Web Services',
        type: 'custom-rest-actions',
        intendedState: 'ENABLED',
        credential: {
          name: 'Zendesk API user',
          type: 'basicAuth',
          fields: { userName: 'api@example.com', password: randomUUID() },
        },
      },
      { name: 'Agent Script Helper', type: 'embedded-client-app', intendedState: 'DISABLED' },
      { name: 'Data Actions', type: 'purecloud-data-actions' },
    ],
    credentials: [
      {
        name: `Integration-${randomUUID()}`,
        fields: { clientId: randomUUID(), clientSecret: randomUUID() },
      },
    ],
    ...overrides,
  });
}
