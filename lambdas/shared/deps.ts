import type { GenesysClient, GenesysClientOptions } from '../genesys/client';
import type { RotationSchedule, SecretStore } from './secret-store';

export type GenesysFactory = (options: GenesysClientOptions) => GenesysClient;

/**
 * How long to allow for Genesys Cloud's eventual consistency (genesys-cloud-api.md §14): reads of known or
 * just-created ids that answer 404, listings that do not show a new client yet, deletes that take a while.
 */
export interface ConsistencySettings {
  /** Retry window, in ms, for a 404 on an id this run created or a record names. @default 15000 */
  readonly readAfterCreateMs: number;
  /**
   * How long, in ms, a client created by a run that stopped before storing its secret may stay out of the
   * client listing: until then no second client is created. @default 60000
   */
  readonly clientListingGraceMs: number;
  /**
   * Longest wait, in ms, within one invocation for a client whose creation was started (the grace above not
   * yet over); then the step throws `Onboarding.ClientCreationPending`, which the state machine retries until
   * the whole grace is covered (lib/constructs/state-machine-defaults.ts `clientCreationPendingRetry`).
   * @default 20000
   */
  readonly clientCreationWatchMs: number;
  /**
   * How long, in ms, after a client's `dateCreated` the run that created it (its creation intent still in the
   * record) may still be storing the secret the create answered with: a racing run that finds the client waits
   * this long for that secret, even after the intent's listing grace (a create slowed by rate limits lands
   * late), before it gives the client a new one. The create's answer comes within the attempt that made it
   * (`DEFAULT_RETRY_POLICY.attemptTimeoutMs`, 15 s) and is stored at once (a Secrets Manager write with its
   * own retries, allowed 15 s). @default 30000
   */
  readonly creatorSecretStoreMs: number;
  /**
   * How long, in ms, a new integration or credential may be missing from its listing: after a create whose
   * answer was lost (a timeout, a reset, a 5xx), the listing is watched this long for what it made before the
   * error is thrown. Whether these listings lag at all is UNVERIFIED; TF's credential data source looks a name
   * up again for 15 s (terraform-provider-genesyscloud, integration_credential/
   * data_source_genesyscloud_integration_credential.go: `WithRetries(ctx, 15*time.Second, …)`). @default 15000
   */
  readonly integrationListingLagMs: number;
  /** Longest wait, in ms, for a deleted resource to be gone. @default 30000 */
  readonly goneTimeoutMs: number;
  /**
   * How long, in ms, a new OAuth client may be missing from the client listing ("not yet indexed by search"):
   * a search by name that finds nothing looks again after this long before concluding there is none.
   * @default 5000
   */
  readonly clientListingLagMs: number;
  /** How often, in ms, a wait for a new client to work or an integration to be ACTIVE looks again. @default 2000 */
  readonly readinessPollMs: number;
  /** Longest such wait, in ms, within one invocation. @default 60000 */
  readonly readinessWaitMs: number;
}

export const DEFAULT_CONSISTENCY: ConsistencySettings = Object.freeze({
  readAfterCreateMs: 15_000,
  clientListingGraceMs: 60_000,
  clientCreationWatchMs: 20_000,
  creatorSecretStoreMs: 30_000,
  integrationListingLagMs: 15_000,
  goneTimeoutMs: 30_000,
  clientListingLagMs: 5_000,
  readinessPollMs: 2_000,
  readinessWaitMs: 60_000,
});

export interface StepSettings {
  /** Prefix of every secret name. @default genesys-onboarding */
  readonly secretPrefix: string;
  /** KMS key for the result secret (AWS); absent: the account's default key. */
  readonly resultSecretKmsKeyId?: string;
  /** How many times Verify looks at the integration before giving up. @default 30 */
  readonly maxVerifyAttempts: number;
  /**
   * Hosts besides Genesys Cloud's own that a bootstrap secret's apiUrl/loginUrl may name (sandboxes, proxies,
   * the simulator): `GenesysClientOptions.allowedHosts`. @default none
   */
  readonly allowedHosts?: readonly string[];
  readonly consistency: ConsistencySettings;
  /** Days Secrets Manager keeps an offboarded org's result secret restorable (7-30). @default 7 */
  readonly recoveryWindowDays?: number;
  /** The rotation every new result secret gets (AWS); absent: none is scheduled (local runs). */
  readonly rotation?: RotationSchedule;
}

/** Time as the steps see it; tests replace it so that no step waits for real. */
export interface StepClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: StepClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What every step core receives: its collaborators, so the same core runs in Lambda and on a laptop. */
export interface StepDeps {
  readonly secrets: SecretStore;
  readonly genesys: GenesysFactory;
  readonly settings: StepSettings;
  /** @default SYSTEM_CLOCK */
  readonly clock?: StepClock;
  /**
   * When this invocation is stopped (the Lambda function's timeout), in ms since the epoch on `clock`; steps
   * that may run longer than their timeout counts bound their work by it (invocation-time.ts). Absent: no
   * limit (local runs). @default undefined
   */
  readonly invocationEndsAt?: number;
}
