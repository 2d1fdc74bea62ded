import type { GenesysClient } from '../../genesys/client';
import { isGenesysError } from '../../genesys/errors';
import { messageInfoText } from '../../genesys/messages';
import {
  type CredentialInfo,
  DATA_ACTIONS_INTEGRATION_TYPE,
  type Integration,
  OAUTH_CREDENTIAL_TYPE,
  type OAuthClient,
  type RoleDivision,
} from '../../genesys/models';
import { type StepDeps, SYSTEM_CLOCK } from '../../shared/deps';
import {
  bootstrapSecretName,
  credentialFingerprint,
  credentialName,
  resultSecretName,
} from '../../shared/naming';
import { isMarked } from '../../shared/ownership';
import type { OnboardingRequest } from '../../shared/request';
import {
  type ResultSecret,
  readPendingRecord,
  readResultRecord,
  recordedIdWindowMs,
} from '../../shared/secrets';
import { openBootstrapSession, openClientSession } from '../../shared/session';

/**
 * Read-only checks of one org's setup against its stored record: every call is a GET (and token requests),
 * nothing is created, changed or deleted, in Genesys Cloud or in the secret store.
 */

/** The checks, in the order they are reported. Their ids are stable: alarms, events and scripts use them. */
export const CHECK_IDS = [
  'record.exists',
  'bootstrap.access',
  'client.exists',
  'client.active',
  'client.ours',
  'client.roles',
  'client.strays',
  'secret.token',
  'integration.exists',
  'integration.ours',
  'integration.enabled',
  'integration.active',
  'integration.credential',
  'integration.strays',
  'credential.exists',
  'credential.current',
  'credential.strays',
  'rotation.pending',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** `ok`: as recorded; `drifted`: differs from the record; `unknown`: could not be checked (and why). */
export type CheckStatus = 'ok' | 'drifted' | 'unknown';

/** One check's finding. The message names ids, names and states, never a secret. */
export interface Finding {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly message: string;
}

/** `drifted` when any check drifted; else `unknown` when any could not be checked; else `healthy`. */
export type Verdict = 'healthy' | 'drifted' | 'unknown';

export interface OrgStatus {
  readonly orgId: string;
  /** The Genesys Cloud region checked (the target's, else the record's); absent without either. */
  readonly region?: string;
  readonly verdict: Verdict;
  /** One finding per check of `CHECK_IDS`, in that order. */
  readonly findings: Finding[];
  /** An AWSPENDING version of the result secret exists: a rotation is in progress. */
  readonly rotationInProgress: boolean;
  /** The request the org was last onboarded with (names and settings, no secret): what a repair runs again. */
  readonly onboardedWith?: OnboardingRequest;
}

export interface CheckTarget {
  readonly orgId: string;
  /** @default the record's region */
  readonly region?: string;
  /** @default the record's `onboardedWith.bootstrapSecretId`, else `<prefix>/<orgId>/bootstrap` */
  readonly bootstrapSecretId?: string;
  /**
   * Where the bootstrap credentials come from, as the findings name it (`GENESYSCLOUD_OAUTHCLIENT_ID and
   * _SECRET` when a caller put credentials of its own under `bootstrapSecretId`).
   * @default `bootstrap secret <bootstrapSecretId>`
   */
  readonly bootstrapCredentialsFrom?: string;
}

/**
 * Checks one org's setup against its stored record (`<prefix>/<orgId>/data-actions-client`):
 * - `record.exists`: the record is there, complete (client, integration and credential ids); without a
 *   record (not onboarded, or an onboarding that stopped before storing its client) it is `unknown`: there is
 *   nothing to check against, so the verdict is `unknown`, not `drifted`;
 * - `bootstrap.access`: the bootstrap client signs in, in this org (else nothing in Genesys can be checked);
 * - `client.exists`, `client.active`, `client.ours` (its description carries the ownership marker),
 *   `client.roles` (exactly the role-division pairs of `onboardedWith`, roles resolved by exact name; pairs
 *   not asked for are named by role name from one listing of the org's roles, by id when it fails);
 * - `client.strays`: no OAuth client but the recorded one (and a rotation's pending one) carries the ownership
 *   marker, over every page of the client listing; the bootstrap client and clients shown `deleted` are never
 *   counted (a stray is left by a crash between a create and its record, or by an offboarding that stopped);
 * - `secret.token`: the stored secret gets a new token (not a cached one); refused while the bootstrap
 *   client cannot sign in either, it is `unknown` (a wrong region or login host refuses both);
 * - `integration.exists`, `integration.ours` (notes carry the marker), `integration.enabled` (intended
 *   ENABLED), `integration.active` (reports ACTIVE; ERROR with its detail, e.g. a credential that does not
 *   authenticate), `integration.credential` (configured with the recorded credential: ids are compared, as
 *   credential fields are redacted on GET);
 * - `integration.strays`: no Data Actions integration but the recorded one (and a rotation's pending one)
 *   carries the ownership marker among those of the recorded integration's name, the recorded request's
 *   (`onboardedWith.integration.name`) and an install intent's, over every page of the integration listing
 *   (a stray is left by two onboardings of one org at once, or a re-run inside the listing lag); an
 *   integration a record names (adopted or not) is never a stray, nor is an unmarked one;
 * - `credential.exists`, `credential.current` (it was last written with the stored secret: the record's
 *   fingerprint), `credential.strays` (no other credential named `Integration-<integrationId>`);
 * - `rotation.pending`: an AWSPENDING version means a rotation is in progress; its client's credential is
 *   then accepted in the integration too.
 * Known ids are read directly (a 404 retried for the read-after-create window while the record is recent:
 * `recordedIdWindowMs`). A check whose call fails is
 * `unknown` with the error; a secret store failure is thrown (SecretStoreUnavailableError when it may pass).
 */
export async function checkOrg(target: CheckTarget, deps: StepDeps): Promise<OrgStatus> {
  const orgId = target.orgId.toLowerCase();
  const prefix = deps.settings.secretPrefix;
  const recordId = resultSecretName(prefix, orgId);
  const findings = new Findings();
  const [stored, description] = await Promise.all([
    readResultRecord(deps.secrets, recordId),
    deps.secrets.describe(recordId),
  ]);
  const pendingVersion = Object.entries(description?.versions ?? {}).find(([, stages]) =>
    stages.includes('AWSPENDING'),
  )?.[0];
  const pending = pendingVersion ? await readPendingRecord(deps.secrets, recordId) : undefined;
  findings.set(
    'rotation.pending',
    'ok',
    pendingVersion
      ? `a rotation is in progress: version ${pendingVersion} is AWSPENDING${pending ? ` (OAuth client ${pending.clientId})` : ''}`
      : 'no rotation in progress',
  );
  const record = stored.secret;
  const region = target.region ?? record?.region;
  const base = { orgId, ...(region ? { region } : {}), rotationInProgress: pendingVersion !== undefined };
  if (!record) {
    const why = stored.intent
      ? `holds only the intent to create OAuth client ${JSON.stringify(stored.intent.oauthClientName)} (since ${stored.intent.creatingSince}): an onboarding did not finish; run onboard again`
      : stored.arn
        ? 'is not a readable record'
        : 'does not exist: the org is not onboarded (or its record was deleted)';
    findings.set('record.exists', 'unknown', `${recordId} ${why}`);
    findings.rest('unknown', 'not checked: no record to check against');
    return { ...base, verdict: findings.verdict(), findings: findings.list() };
  }
  const onboardedWith = record.onboardedWith;
  const withRequest = { ...base, ...(onboardedWith ? { onboardedWith } : {}) };
  const missingIds = [
    record.integrationId ? undefined : 'no integration',
    record.credentialId ? undefined : 'no credential',
  ].filter(Boolean);
  findings.set(
    'record.exists',
    missingIds.length === 0 ? 'ok' : 'drifted',
    missingIds.length === 0
      ? `${recordId} names OAuth client ${record.clientId}, integration ${record.integrationId} and credential ${record.credentialId}`
      : `${recordId} names OAuth client ${record.clientId} but ${missingIds.join(' and ')}: the onboarding did not finish; run onboard again to finish it`,
  );

  const tokenCheck = checkStoredSecret(record, deps);
  const session = await signIn(target, record, deps);
  if ('problem' in session) {
    findings.set('bootstrap.access', 'unknown', session.problem);
    const [tokenStatus, tokenMessage] = await tokenCheck;
    findings.set(
      'secret.token',
      tokenStatus === 'drifted' ? 'unknown' : tokenStatus,
      tokenStatus === 'drifted'
        ? `${tokenMessage}; not taken as drift while the bootstrap client cannot sign in either (a wrong region or login host refuses both)`
        : tokenMessage,
    );
    findings.rest('unknown', 'not checked: the bootstrap client cannot sign in to the org');
    return { ...withRequest, verdict: findings.verdict(), findings: findings.list() };
  }
  findings.set('bootstrap.access', 'ok', session.message);

  const api = session.client;
  // A recent record's ids may still be in Genesys's read-after-create window; an older record's 404 is final.
  const retryNotFoundMs = recordedIdWindowMs(
    record,
    deps.settings.consistency.readAfterCreateMs,
    (deps.clock ?? SYSTEM_CLOCK).now(),
  );
  const [client, clients, integration, integrations, credential, named, expected, token] = await Promise.all([
    attempt(() => api.oauthClients.find(record.clientId, { retryNotFoundMs })),
    attempt(() => api.oauthClients.list()),
    record.integrationId
      ? attempt(() =>
          api.integrations.find(record.integrationId as string, { expandConfig: true, retryNotFoundMs }),
        )
      : undefined,
    attempt(() => api.integrations.listByType(DATA_ACTIONS_INTEGRATION_TYPE)),
    record.credentialId
      ? attempt(() => api.credentials.find(record.credentialId as string, { retryNotFoundMs }))
      : undefined,
    record.integrationId
      ? attempt(() => api.credentials.findByName(credentialName(record.integrationId as string)))
      : undefined,
    onboardedWith ? attempt(() => expectedRoles(api, onboardedWith)) : undefined,
    tokenCheck,
  ]);
  findings.set('secret.token', ...token);
  await checkClient(findings, api, record, client, expected, onboardedWith);
  checkStrayClients(findings, record, pending, session.bootstrapClientIds, clients);
  checkIntegration(findings, record, pending, integration);
  checkStrayIntegrations(findings, record, pending, integration, integrations);
  checkCredential(findings, record, pending, credential, named);
  return { ...withRequest, verdict: findings.verdict(), findings: findings.list() };
}

type Attempt<T> = { value: T } | { error: string };

/** The value of a call, or its error as text (a GenesysApiError's message is redacted and has no body). */
async function attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The findings being gathered: each check once; `rest` fills in those not set yet. */
class Findings {
  private readonly byId = new Map<CheckId, Finding>();

  set(id: CheckId, status: CheckStatus, message: string): void {
    this.byId.set(id, { id, status, message });
  }

  rest(status: CheckStatus, message: string): void {
    for (const id of CHECK_IDS) if (!this.byId.has(id)) this.set(id, status, message);
  }

  list(): Finding[] {
    this.rest('unknown', 'not checked');
    return CHECK_IDS.map((id) => this.byId.get(id) as Finding);
  }

  verdict(): Verdict {
    const statuses = [...this.byId.values()].map((f) => f.status);
    if (statuses.includes('drifted')) return 'drifted';
    return statuses.includes('unknown') || this.byId.size < CHECK_IDS.length ? 'unknown' : 'healthy';
  }
}

/**
 * The bootstrap client's session, checked to be in the org (`GET /api/v2/tokens/me`), or why it cannot be
 * used: no bootstrap secret, a refused region or endpoint, credentials refused, another org.
 */
async function signIn(
  target: CheckTarget,
  record: ResultSecret,
  deps: StepDeps,
): Promise<{ client: GenesysClient; bootstrapClientIds: string[]; message: string } | { problem: string }> {
  const bootstrapSecretId =
    target.bootstrapSecretId ??
    record.onboardedWith?.bootstrapSecretId ??
    bootstrapSecretName(deps.settings.secretPrefix, record.orgId);
  const from = target.bootstrapCredentialsFrom ?? `bootstrap secret ${bootstrapSecretId}`;
  const region = target.region ?? record.region;
  try {
    const { client, bootstrapClientId } = await openBootstrapSession(deps, { bootstrapSecretId, region });
    const token = await client.organization.tokenInfo();
    const tokenOrg = token.organization?.id?.toLowerCase();
    if (tokenOrg !== record.orgId.toLowerCase()) {
      return {
        problem: `the bootstrap client from ${from} belongs to another org (${tokenOrg ?? 'unknown'}), not ${record.orgId}`,
      };
    }
    return {
      client,
      // The token's client is the one signed in; the secret's id is the same one, named as stored.
      bootstrapClientIds: [bootstrapClientId, token.OAuthClient?.id].filter((id): id is string =>
        Boolean(id),
      ),
      message: `bootstrap client ${token.OAuthClient?.id ?? '(unknown id)'} from ${from} signs in to org ${record.orgId} in ${region}`,
    };
  } catch (error) {
    return {
      problem: `the bootstrap client from ${from} cannot sign in: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    };
  }
}

/** `secret.token`: a new token from the stored client id and secret. */
async function checkStoredSecret(record: ResultSecret, deps: StepDeps): Promise<[CheckStatus, string]> {
  try {
    await openClientSession(deps, record).tokens.verifyCredentials();
    return ['ok', `the stored secret of OAuth client ${record.clientId} gets a token`];
  } catch (error) {
    if (isGenesysError(error, 'authentication')) {
      return [
        'drifted',
        `the stored secret of OAuth client ${record.clientId} gets no token (${error.code ?? `HTTP ${error.status}`}): the secret was regenerated elsewhere, or the client cannot sign in`,
      ];
    }
    return [
      'unknown',
      `could not ask for a token: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    ];
  }
}

/** The role-division pairs `onboardedWith` asks for: roles by exact name, the division (home by default). */
async function expectedRoles(
  api: GenesysClient,
  request: OnboardingRequest,
): Promise<{ pairs: Array<RoleDivision & { name: string }>; unknownRoles: string[] }> {
  const [roles, divisionId] = await Promise.all([
    api.authorization.resolveRoles(request.oauthClient.roles),
    request.oauthClient.divisionId
      ? Promise.resolve(request.oauthClient.divisionId)
      : api.authorization.homeDivision().then((home) => home.id),
  ]);
  return {
    pairs: roles.found.map((role) => ({ roleId: role.id, divisionId, name: role.name })),
    unknownRoles: roles.missing,
  };
}

async function checkClient(
  findings: Findings,
  api: GenesysClient,
  record: ResultSecret,
  found: Attempt<OAuthClient | undefined>,
  expected: Attempt<Awaited<ReturnType<typeof expectedRoles>>> | undefined,
  onboardedWith: OnboardingRequest | undefined,
): Promise<void> {
  const id = record.clientId;
  if ('error' in found) {
    findings.set('client.exists', 'unknown', `could not read OAuth client ${id}: ${found.error}`);
    return;
  }
  const client = found.value;
  if (!client || client.state === 'deleted') {
    findings.set(
      'client.exists',
      'drifted',
      `OAuth client ${id} is gone (${client ? 'deleted' : 'it answers 404'}): a repair creates a new one`,
    );
    findings.set('client.active', 'unknown', 'no client');
    findings.set('client.ours', 'unknown', 'no client');
    findings.set('client.roles', 'unknown', 'no client');
    return;
  }
  findings.set('client.exists', 'ok', `OAuth client ${id} (${JSON.stringify(client.name)}) exists`);
  findings.set(
    'client.active',
    client.state === 'active' ? 'ok' : 'drifted',
    client.state === 'active'
      ? `OAuth client ${id} is active`
      : `OAuth client ${id} is ${client.state}${client.state === 'disabled' ? ' (Genesys support sets this; a repair does not re-activate it)' : ''}`,
  );
  findings.set(
    'client.ours',
    isMarked(client.description) ? 'ok' : 'drifted',
    isMarked(client.description)
      ? `OAuth client ${id} carries the ownership marker`
      : `the description of OAuth client ${id} lost the ownership marker: a repair writes it back`,
  );
  if (!onboardedWith || !expected) {
    findings.set(
      'client.roles',
      'unknown',
      record.integrationId && record.credentialId
        ? 'the record has no onboardedWith request (onboarded by an older version), so the roles asked for are not known: run onboard again to record it'
        : 'the roles asked for are not recorded yet: the onboarding did not finish; run onboard again to finish it',
    );
    return;
  }
  if ('error' in expected) {
    findings.set('client.roles', 'unknown', `could not resolve the recorded roles: ${expected.error}`);
    return;
  }
  const key = (pair: RoleDivision) => `${pair.roleId}/${pair.divisionId}`;
  const held = new Set((client.roleDivisions ?? []).map(key));
  const wanted = new Set(expected.value.pairs.map(key));
  const lacking = expected.value.pairs.filter((pair) => !held.has(key(pair)));
  const extra = (client.roleDivisions ?? []).filter((pair) => !wanted.has(key(pair)));
  const roleNames = extra.length > 0 ? await attempt(() => api.authorization.listRoles()) : undefined;
  const nameOf = new Map(
    roleNames && 'value' in roleNames ? roleNames.value.map((role) => [role.id, role.name]) : [],
  );
  const describePair = (pair: RoleDivision) => {
    const name = nameOf.get(pair.roleId);
    return `${name === undefined ? `role ${pair.roleId}` : `${JSON.stringify(name)} (${pair.roleId})`} in division ${pair.divisionId}`;
  };
  const problems = [
    ...expected.value.unknownRoles.map((name) => `role ${JSON.stringify(name)} no longer exists in the org`),
    ...lacking.map(
      (pair) => `lacks role ${JSON.stringify(pair.name)} (${pair.roleId}) in division ${pair.divisionId}`,
    ),
    ...(extra.length > 0
      ? [`holds role-division pairs not asked for: ${extra.map(describePair).join(', ')}`]
      : []),
  ];
  findings.set(
    'client.roles',
    problems.length === 0 ? 'ok' : 'drifted',
    problems.length === 0
      ? `OAuth client ${id} holds exactly ${onboardedWith.oauthClient.roles.map((r) => JSON.stringify(r)).join(', ')} in division ${expected.value.pairs[0]?.divisionId}`
      : `OAuth client ${id} ${problems.join('; ')}`,
  );
}

/** `client.strays`: marked clients the record (or a rotation's pending version) does not name. */
function checkStrayClients(
  findings: Findings,
  record: ResultSecret,
  pending: ResultSecret | undefined,
  bootstrapClientIds: string[],
  listed: Attempt<OAuthClient[]>,
): void {
  if ('error' in listed) {
    findings.set('client.strays', 'unknown', `could not list the OAuth clients: ${listed.error}`);
    return;
  }
  const named = new Set([record.clientId, pending?.clientId, ...bootstrapClientIds].filter(Boolean));
  const strays = listed.value.filter(
    (client) => !named.has(client.id) && client.state !== 'deleted' && isMarked(client.description),
  );
  findings.set(
    'client.strays',
    strays.length === 0 ? 'ok' : 'drifted',
    strays.length === 0
      ? 'no other OAuth client carries the ownership marker'
      : `${strays.length} other OAuth client${strays.length === 1 ? ' carries' : 's carry'} the ownership marker: ${strays
          .map(
            (client) => `${client.id} (${JSON.stringify(client.name)}, ${client.state ?? 'state unknown'})`,
          )
          .join(', ')} (left by a stopped onboarding, rotation or offboarding, or marked by hand)`,
  );
}

function checkIntegration(
  findings: Findings,
  record: ResultSecret,
  pending: ResultSecret | undefined,
  found: Attempt<Integration | undefined> | undefined,
): void {
  const id = record.integrationId;
  if (!found) {
    findings.set('integration.exists', 'unknown', 'the record names no integration');
    return;
  }
  if ('error' in found) {
    findings.set('integration.exists', 'unknown', `could not read integration ${id}: ${found.error}`);
    return;
  }
  const integration = found.value;
  if (!integration) {
    findings.set(
      'integration.exists',
      'drifted',
      `integration ${id} is gone (it answers 404): a repair creates a new one`,
    );
    for (const check of [
      'integration.ours',
      'integration.enabled',
      'integration.active',
      'integration.credential',
    ] as const) {
      findings.set(check, 'unknown', 'no integration');
    }
    return;
  }
  const config = integration.config?.current;
  findings.set('integration.exists', 'ok', `integration ${id} (${JSON.stringify(integration.name)}) exists`);
  findings.set(
    'integration.ours',
    isMarked(config?.notes) ? 'ok' : 'drifted',
    isMarked(config?.notes)
      ? `the notes of integration ${id} carry the ownership marker`
      : `the notes of integration ${id} lost the ownership marker: a repair writes it back`,
  );
  const enabled = integration.intendedState === 'ENABLED';
  findings.set(
    'integration.enabled',
    enabled ? 'ok' : 'drifted',
    `integration ${id} is intended ${integration.intendedState ?? 'in no state'}${enabled ? '' : ': a repair enables it'}`,
  );
  const reported = integration.reportedState?.code ?? 'UNKNOWN';
  const detail = messageInfoText(integration.reportedState?.detail);
  const [status, message] =
    reported === 'ACTIVE'
      ? (['ok', `integration ${id} reports ACTIVE`] as const)
      : reported === 'ACTIVATING' || reported === 'DEACTIVATING'
        ? (['unknown', `integration ${id} reports ${reported}: check again in a minute`] as const)
        : ([
            'drifted',
            `integration ${id} reports ${reported}${detail ? `: ${detail}` : ''}${enabled ? '' : ' (it is disabled)'}`,
          ] as const);
  findings.set('integration.active', status, message);
  const configured = config?.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id;
  const accepted = [record.credentialId, pending?.credentialId].filter((c): c is string => Boolean(c));
  findings.set(
    'integration.credential',
    configured && accepted.includes(configured) ? 'ok' : 'drifted',
    !configured
      ? `integration ${id} has no ${OAUTH_CREDENTIAL_TYPE} credential configured`
      : accepted.includes(configured)
        ? `integration ${id} is configured with ${configured === record.credentialId ? 'the recorded' : "the rotation's pending"} credential ${configured}`
        : `integration ${id} is configured with credential ${configured}, not the recorded ${record.credentialId ?? '(none)'}: a repair points it back`,
  );
}

/**
 * `integration.strays`: marked integrations of the recorded names (the recorded integration's, when it was
 * read, `onboardedWith.integration.name` and `integrationCreation.name`, of the record and a rotation's pending
 * version) that no record version names.
 */
function checkStrayIntegrations(
  findings: Findings,
  record: ResultSecret,
  pending: ResultSecret | undefined,
  recorded: Attempt<Integration | undefined> | undefined,
  listed: Attempt<Integration[]>,
): void {
  if ('error' in listed) {
    findings.set('integration.strays', 'unknown', `could not list the integrations: ${listed.error}`);
    return;
  }
  const records = [record, pending].filter((r): r is ResultSecret => r !== undefined);
  const names = new Set(
    [
      recorded && 'value' in recorded ? recorded.value?.name : undefined,
      ...records.flatMap((r) => [r.onboardedWith?.integration.name, r.integrationCreation?.name]),
    ].filter((name): name is string => name !== undefined),
  );
  if (names.size === 0) {
    findings.set(
      'integration.strays',
      'unknown',
      'no integration name is known: the record names no readable integration and no onboarding request',
    );
    return;
  }
  const named = new Set(records.map((r) => r.integrationId).filter(Boolean));
  const strays = listed.value.filter(
    (integration) =>
      names.has(integration.name ?? '') &&
      !named.has(integration.id) &&
      isMarked(integration.config?.current?.notes),
  );
  const quoted = [...names].map((name) => JSON.stringify(name)).join(' or ');
  findings.set(
    'integration.strays',
    strays.length === 0 ? 'ok' : 'drifted',
    strays.length === 0
      ? `no other integration named ${quoted} carries the ownership marker`
      : `${strays.length} other integration${strays.length === 1 ? ' carries' : 's carry'} the ownership marker: ${strays
          .map((integration) => `${integration.id} (${JSON.stringify(integration.name)})`)
          .join(
            ', ',
          )} (left by two onboardings of the org at once, or a re-run inside the integration listing lag; offboarding removes ${strays.length === 1 ? 'it' : 'them'})`,
  );
}

function checkCredential(
  findings: Findings,
  record: ResultSecret,
  pending: ResultSecret | undefined,
  found: Attempt<CredentialInfo | undefined> | undefined,
  named: Attempt<CredentialInfo[]> | undefined,
): void {
  const id = record.credentialId;
  if (!found) {
    findings.set('credential.exists', 'unknown', 'the record names no credential');
  } else if ('error' in found) {
    findings.set('credential.exists', 'unknown', `could not read credential ${id}: ${found.error}`);
  } else if (!found.value) {
    findings.set(
      'credential.exists',
      'drifted',
      `credential ${id} is gone (it answers 404): a repair creates a new one`,
    );
  } else {
    const type = found.value.type?.name;
    findings.set(
      'credential.exists',
      type === undefined || type === OAUTH_CREDENTIAL_TYPE ? 'ok' : 'drifted',
      type === undefined || type === OAUTH_CREDENTIAL_TYPE
        ? `credential ${id} exists`
        : `credential ${id} is of type ${type}, not ${OAUTH_CREDENTIAL_TYPE}`,
    );
  }
  const fingerprint = credentialFingerprint(record.clientId, record.clientSecret);
  findings.set(
    'credential.current',
    !record.credentialFingerprint
      ? 'unknown'
      : record.credentialFingerprint === fingerprint
        ? 'ok'
        : 'drifted',
    !record.credentialFingerprint
      ? 'the record has no fingerprint of what the credential was written with'
      : record.credentialFingerprint === fingerprint
        ? `credential ${id} was last written with the stored client id and secret`
        : `credential ${id} was written with another secret than the stored one (the client's secret changed after): a repair writes it again`,
  );
  if (!named) {
    findings.set('credential.strays', 'unknown', 'the record names no integration');
    return;
  }
  if ('error' in named) {
    findings.set('credential.strays', 'unknown', `could not list the credentials: ${named.error}`);
    return;
  }
  const ours = new Set([record.credentialId, pending?.credentialId].filter(Boolean));
  const strays = named.value.filter((c) => !ours.has(c.id)).map((c) => c.id);
  const name = credentialName(record.integrationId as string);
  findings.set(
    'credential.strays',
    strays.length === 0 ? 'ok' : 'drifted',
    strays.length === 0
      ? `no other credential is named ${name}`
      : `${strays.length} other credential${strays.length === 1 ? ' is' : 's are'} named ${name}: ${strays.join(', ')} (left by a stopped run, or made by hand; nothing uses ${strays.length === 1 ? 'it' : 'them'} unless the integration does)`,
  );
}
