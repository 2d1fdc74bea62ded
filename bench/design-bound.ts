/**
 * The latency bound of a fresh onboarding, fixed from the design and not from a run: the shortest chain of
 * round trips that depend on each other, state by state, in the deployed shape (each step a Lambda function
 * of its own, starting with no token and no secret cached, Secrets Manager one round trip away like Genesys).
 * Calls in one round trip do not depend on each other and go out at once; a state's next round trip needs an
 * answer of the one before. The Provision branches run side by side: only the longer one is on the chain.
 */

type Service = 'genesys' | 'secrets';

/** One remote call: the service it goes to and what it is. */
export interface DesignCall {
  readonly service: Service;
  readonly call: string;
}

export interface DesignState {
  readonly state: string;
  /** Why the round trips cannot be fewer. */
  readonly why: string;
  /** Round trips in order; the calls of each go out at once. */
  readonly roundTrips: readonly (readonly DesignCall[])[];
  /** A Parallel branch shorter than its sibling: its calls count, its round trips are not on the chain. */
  readonly offChain?: boolean;
}

const g = (call: string): DesignCall => ({ service: 'genesys', call });
const s = (call: string): DesignCall => ({ service: 'secrets', call });

export const FRESH_ONBOARDING_DESIGN: readonly DesignState[] = [
  {
    state: 'Prepare',
    why: 'a token needs the bootstrap secret and every read needs the token; the org check, the roles, the division and both lookups do not depend on each other',
    roundTrips: [
      [s('GetSecretValue bootstrap'), s('GetSecretValue record (absent: no AWSPENDING version to read)')],
      [g('POST /oauth/token (bootstrap client)')],
      [
        g('GET /api/v2/tokens/me'),
        g('GET /api/v2/authorization/roles?name= (one per role; the sample asks one)'),
        g('GET /api/v2/authorization/divisions/home'),
        g('GET /api/v2/oauth/clients'),
        g('GET /api/v2/integrations?integrationType.id=purecloud-data-actions'),
      ],
    ],
  },
  {
    state: 'Provision: EnsureOAuthClient',
    why: 'the creation intent is stored before the client is created (a crash leaves a trace), and the secret exists only in the create answer',
    roundTrips: [
      [s('GetSecretValue record (a run racing this one)'), s('GetSecretValue bootstrap')],
      [s('CreateSecret the creation intent (create-only)'), g('POST /oauth/token (bootstrap client)')],
      [g('POST /api/v2/oauth/clients')],
      [s('PutSecretValue the client and its secret')],
    ],
  },
  {
    state: 'Provision: EnsureIntegration (beside EnsureOAuthClient)',
    why: 'shorter than its sibling',
    offChain: true,
    roundTrips: [
      [s('GetSecretValue bootstrap')],
      [g('POST /oauth/token (bootstrap client)')],
      [g('POST /api/v2/integrations')],
    ],
  },
  {
    state: 'ConfigureIntegration',
    why: 'the config names the credential, and the integration is enabled once configured',
    roundTrips: [
      [s('GetSecretValue record (the client secret)'), s('GetSecretValue bootstrap')],
      [g('POST /oauth/token (bootstrap client)')],
      [g('POST /api/v2/integrations/credentials')],
      [g('PUT /api/v2/integrations/{id}/config/current (version 1, known for a new integration)')],
      [g('PATCH /api/v2/integrations/{id} intendedState ENABLED')],
    ],
  },
  {
    state: 'RecordConfiguration',
    why: "the record is rewritten from what it holds; rotation is scheduled once the record names the integration, as scheduling without rotating now runs the rotation function's testSecret step on the secret (AWS RotateSecret, RotateImmediately)",
    roundTrips: [
      [s('GetSecretValue record'), s('DescribeSecret record')],
      [s('PutSecretValue record with the ids')],
      [s('RotateSecret (schedule only)')],
    ],
  },
  {
    state: 'Verify',
    why: 'the new client must mint a token; with activation at once the enable answer says ACTIVE, so the state is not read again (§3 has activation times)',
    roundTrips: [[s('GetSecretValue record (the client secret)')], [g('POST /oauth/token (the new client)')]],
  },
];

/** Round trips on the chain: the sum over the states on it. */
export const designRoundTrips = (design: readonly DesignState[] = FRESH_ONBOARDING_DESIGN): number =>
  design.filter((state) => !state.offChain).reduce((sum, state) => sum + state.roundTrips.length, 0);

/** Calls of one service the design makes, on the chain or beside it. */
export const designCalls = (
  service: Service,
  design: readonly DesignState[] = FRESH_ONBOARDING_DESIGN,
): number =>
  design.flatMap((state) => state.roundTrips.flat()).filter((call) => call.service === service).length;
