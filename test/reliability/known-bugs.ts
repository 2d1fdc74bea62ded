/** A product bug the suite found, and the cells that show it. */
export interface KnownBug {
  /** What goes wrong: the input, what is expected, what happens. */
  readonly summary: string;
  /** Where in the product it is. */
  readonly where: string;
  /** Names of the cells that fail on it (exactly as the report names them). */
  readonly cells: readonly string[];
  /**
   * The problems it causes in those cells: a problem it does not match still fails the run, so a known bug
   * hides nothing else that goes wrong in the same cell.
   */
  readonly symptoms: RegExp;
}

/**
 * Product bugs the suite found, reported and left to the product's owners. A cell named here fails until its
 * bugs are fixed without failing the run; once it holds, the run fails until its name is removed here, and a
 * name that matches no cell fails the run too, so no mark outlives its bug.
 */
export const KNOWN_BUGS: Record<string, KnownBug> = {
  'client-creation-pending-not-retried': {
    summary:
      'after a connection reset on POST /api/v2/oauth/clients (Genesys did not create the client), EnsureOAuthClient is retried, finds the creation intent and no client, watches the listing for 20 s and throws Onboarding.ClientCreationPending, which find-ours.ts documents as retried but no Retry of the state machine names: the onboarding fails (expected: it waits out the listing grace, 60 s, and creates the client)',
    where:
      'lambdas/workflows/onboarding/find-ours.ts (awaitPendingCreation, CREATION_WATCH_MS) and the Retry lists of EnsureOAuthClient and Prepare (lib/constructs)',
    symptoms: /Onboarding\.ClientCreationPending|^the call was not tried again$/,
    cells: ['POST /api/v2/oauth/clients — connection reset, with the default listing grace (60 s)'],
  },
  'lost-create-answer-duplicates': {
    summary:
      'when Genesys processed a create but its answer was lost (timeout after processing), the step is retried with the same input and creates again: a second integration (EnsureIntegration creates whenever Prepare found none) or a second credential named Integration-<id> (Configure looks credentials up by name only for integrations it did not create); expected: one of each, found by name on the retry',
    where:
      'lambdas/workflows/onboarding/steps/ensure-integration.ts (ensureIntegration), steps/configure-integration.ts (ensureCredential: credentialByName is false for a created integration)',
    symptoms: /more resources than the record names|credentials named Integration-/,
    cells: [
      'POST /api/v2/integrations — timeout after processing',
      'POST /api/v2/integrations/credentials — timeout after processing',
    ],
  },
  'creation-intent-left-behind': {
    summary:
      'a run that wrote the creation intent (a new result secret) and then failed before its client was stored (POST /api/v2/oauth/clients answered a permanent 400, or the client secret could not be written) leaves that result secret behind: Compensate removes only the secret of a client branch that succeeded; expected: nothing left (the next run then waits out the listing grace for a client that never existed)',
    where:
      'lambdas/workflows/onboarding/steps/compensate.ts (created.client is undefined for a failed branch) and steps/ensure-oauth-client.ts (createClient)',
    symptoms: /^left behind: the stored record$/,
    cells: [
      'POST /api/v2/oauth/clients — permanent 400',
      'EnsureOAuthClient: put result #2 — permanent',
      'EnsureOAuthClient: put result #2 — permanent, after the 404 window',
    ],
  },
  'orphan-cleanup-inside-404-window': {
    summary:
      "when the new client's secret cannot be stored (AccessDenied on the write, at once), the clean-up calls deactivateAndDelete(created.id) without retryNotFoundMs: its GET of the client created milliseconds before answers 404 (read-after-create window), it concludes 'absent' and the new client stays active with no stored secret (an orphan); expected: the client removed",
    where:
      'lambdas/workflows/onboarding/steps/ensure-oauth-client.ts (createClient, the catch around storeClientSecret)',
    symptoms: /^left behind: 1 client\(s\)$/,
    cells: ['EnsureOAuthClient: put result #2 — permanent'],
  },
  'compensation-swallows-transient-store-failure': {
    summary:
      "when Compensate's delete of the result secret fails with SecretStore.Transient (throttling), undo() catches it and lists the secret in leftBehind instead of letting the state machine retry Compensate: the result secret is left behind after a failed run; expected: retried until deleted",
    where: 'lambdas/workflows/onboarding/steps/compensate.ts (undo)',
    symptoms: /^left behind: the stored record$|^the failed call was not made again$/,
    cells: ['Compensate: delete result (after a permanent 400 on the enable PATCH) — transient'],
  },
};
