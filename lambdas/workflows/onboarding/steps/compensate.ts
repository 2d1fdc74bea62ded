import type { GenesysClient } from '../../../genesys/client';
import { isGenesysError, STEP_ERROR_NAMES } from '../../../genesys/errors';
import type { StepDeps } from '../../../shared/deps';
import { causeMessage, ONBOARDING_ERRORS } from '../../../shared/errors';
import { credentialName } from '../../../shared/naming';
import { SECRET_STORE_TRANSIENT } from '../../../shared/secret-store';
import { readResultRecord, serializeResultSecret } from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import {
  type BranchFailure,
  type ClientOutcome,
  type IntegrationOutcome,
  isBranchFailure,
  type WorkflowState,
  workflowStateSchema,
} from '../state';

export interface CompensationOutcome {
  /** The error that failed the run: a `Genesys.*` or `Onboarding.*` name. */
  error: string;
  /** What went wrong, without stack or secret. */
  cause: string;
  /** What this run had created and has now removed, e.g. `integration 1234`. */
  rolledBack: string[];
  /** What could not be removed (with why): to clean up by hand. */
  leftBehind: string[];
}

/**
 * Removes what this run created, in dependency order: the integration (then waits until it is gone), its
 * credentials, the OAuth client (set inactive, deleted, then waits until it is gone or shows `deleted`) and
 * the result secret if this run created it (else, once the integration it installed is removed, this run's intent
 * to install it is taken out of the record). A run whose client branch failed after writing its creation intent
 * leaves a result secret holding only that intent: it is removed while it is still this run's (`runId`), unless
 * the failure leaves it unknown whether the client create took effect (`mayHaveCreatedClient`): then the intent
 * stays, so that the next run waits out the listing grace rather than create a second client, and is reported.
 * What existed before the run is left untouched. What is already gone counts as removed; what could not be
 * removed is listed in `leftBehind` with the state it was left in. A failure that may pass (a Genesys or
 * secret store error the state machine retries) is thrown instead, so that Compensate runs again: every
 * removal is safe to repeat.
 */
export async function compensate(state: WorkflowState, deps: StepDeps): Promise<CompensationOutcome> {
  const failure = describeFailure(state);
  const rolledBack: string[] = [];
  const leftBehind: string[] = [];
  const plan = state.plan;
  const [clientBranch, integrationBranch] = state.provisioned ?? [];
  const created = {
    client: isCreatedClient(clientBranch) ? clientBranch : undefined,
    integration: isCreatedIntegration(integrationBranch) ? integrationBranch : undefined,
    credentialId: state.configured?.credentialCreated ? state.configured.credentialId : undefined,
  };
  if (!plan) return { ...failure, rolledBack, leftBehind };
  const undo = async (what: string, action: () => Promise<unknown>, leftAs?: () => Promise<string>) => {
    try {
      await action();
      rolledBack.push(what);
    } catch (error) {
      if (mayPass(error)) throw error;
      const state = leftAs ? await leftAs().catch(() => 'in an unknown state') : undefined;
      leftBehind.push(`${what}${state ? ` (${state})` : ''}: ${messageOf(error)}`);
    }
  };
  if (isBranchFailure(clientBranch)) {
    await removeOwnIntent(deps, plan, clientBranch.error.Error, undo, leftBehind);
  }
  if (!created.client && !created.integration && !created.credentialId) {
    return { ...failure, rolledBack, leftBehind };
  }

  const { client } = await openBootstrapSession(deps, plan);
  const { goneTimeoutMs, readAfterCreateMs } = deps.settings.consistency;
  const options = { goneTimeoutMs, retryNotFoundMs: readAfterCreateMs };

  if (created.integration) {
    const { integrationId } = created.integration;
    await undo(`integration ${integrationId}`, () =>
      client.integrations.deleteAndWait(integrationId, options),
    );
    // A credential named after an integration this run created was created by this run too.
    const credentials = await credentialsOf(client, integrationId, created.credentialId).catch(
      (error: unknown) => {
        if (mayPass(error)) throw error;
        leftBehind.push(`credentials named ${credentialName(integrationId)}, if any: ${messageOf(error)}`);
        return created.credentialId ? [created.credentialId] : [];
      },
    );
    for (const id of credentials) {
      await undo(`credential ${id}`, () => client.credentials.delete(id, options));
    }
    if (rolledBack.includes(`integration ${integrationId}`) && !created.client?.secretCreated) {
      await dropOwnIntegrationIntent(deps, plan, leftBehind);
    }
  } else if (created.credentialId) {
    const { credentialId } = created;
    await undo(`credential ${credentialId}`, () => client.credentials.delete(credentialId, options));
  }
  if (created.client) {
    const { oauthClientId, secretArn, secretCreated } = created.client;
    await undo(
      `OAuth client ${oauthClientId}`,
      () => client.oauthClients.deactivateAndDelete(oauthClientId, options),
      async () => {
        const left = await client.oauthClients.find(oauthClientId);
        return left ? `left ${left.state}` : 'gone';
      },
    );
    if (secretCreated) await undo(`secret ${secretArn}`, () => deps.secrets.delete(secretArn));
  }
  return { ...failure, rolledBack, leftBehind };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A failure that may pass: a Genesys rate limit or transient error, or a secret store failure that may pass. */
const mayPass = (error: unknown): boolean =>
  (isGenesysError(error) && error.retryable) ||
  (error instanceof Error && error.name === SECRET_STORE_TRANSIENT);

/** Step Functions names of failures whose retries ran out (or that stopped a function), by prefix. */
const RETRIED_OR_STOPPED = ['States.', 'Lambda.', 'Sandbox.'];

/**
 * Whether a client branch that failed with this error may have left a client created by its last create:
 * an error the state machine retries (a Genesys or secret store failure that may pass, a client creation
 * still pending) ended the branch only once its retries ran out, or the function was stopped or lost
 * (`States.*`, `Lambda.*`, `Sandbox.*`), possibly after a create whose answer never came. Any other error
 * (a refused create, a secret that could not be stored, after which the new client is removed again) leaves
 * no client behind the intent. Not told apart: a permanent error while waiting for an earlier attempt's
 * client; that client, once listed, is found by its ownership marker.
 */
export function mayHaveCreatedClient(errorName: string | undefined): boolean {
  if (errorName === undefined) return true;
  const retried: string[] = [
    STEP_ERROR_NAMES.transient,
    STEP_ERROR_NAMES['rate-limited'],
    SECRET_STORE_TRANSIENT,
    ONBOARDING_ERRORS.clientCreationPending,
  ];
  return retried.includes(errorName) || RETRIED_OR_STOPPED.some((prefix) => errorName.startsWith(prefix));
}

/**
 * Removes the result secret when it holds only this run's creation intent (never a complete record, nor
 * another run's intent), unless the branch's failure may have left a client behind the intent.
 */
async function removeOwnIntent(
  deps: StepDeps,
  plan: NonNullable<WorkflowState['plan']>,
  branchError: string | undefined,
  undo: (what: string, action: () => Promise<unknown>) => Promise<void>,
  leftBehind: string[],
): Promise<void> {
  const record = await readResultRecord(deps.secrets, plan.resultSecretId);
  const { arn, intent } = record;
  if (!arn || !intent || record.secret || intent.runId !== plan.runId) return;
  if (mayHaveCreatedClient(branchError)) {
    leftBehind.push(
      `this run's creation intent in secret ${arn}, kept: whether its last OAuth client create took effect is unknown (${branchError ?? 'no error name'}); the next run waits out the listing grace, then uses that client or creates one`,
    );
    return;
  }
  await undo(`secret ${arn} (this run's creation intent)`, () => deps.secrets.delete(arn));
}

/**
 * Takes this run's intent to install the integration (`integrationCreation`) out of the org's record once the
 * integration it installed is removed: the next run then installs one at once, rather than wait out the
 * intent's listing grace for an integration that is gone. Another run's intent, or none, is left as it is; a
 * record this run created is removed whole instead. Throws a failure that may pass; lists any other in
 * `leftBehind`.
 */
async function dropOwnIntegrationIntent(
  deps: StepDeps,
  plan: NonNullable<WorkflowState['plan']>,
  leftBehind: string[],
): Promise<void> {
  try {
    const { secret } = await readResultRecord(deps.secrets, plan.resultSecretId);
    if (secret?.integrationCreation?.runId !== plan.runId) return;
    const { integrationCreation: _dropped, ...rest } = secret;
    await deps.secrets.put({ name: plan.resultSecretId, value: serializeResultSecret(rest) });
  } catch (error) {
    if (mayPass(error)) throw error;
    leftBehind.push(
      `this run's intent to install integration ${JSON.stringify(plan.integration.name)} in secret ${plan.resultSecretId}: ${messageOf(error)} (the next run waits out its listing grace)`,
    );
  }
}

const isCreatedClient = (branch: unknown): branch is ClientOutcome =>
  !isBranchFailure(branch) && (branch as ClientOutcome | undefined)?.clientCreated === true;
const isCreatedIntegration = (branch: unknown): branch is IntegrationOutcome =>
  !isBranchFailure(branch) && (branch as IntegrationOutcome | undefined)?.integrationCreated === true;

async function credentialsOf(
  client: GenesysClient,
  integrationId: string,
  known?: string,
): Promise<string[]> {
  const named = (await client.credentials.findByName(credentialName(integrationId))).map((c) => c.id);
  return [...new Set([...(known ? [known] : []), ...named])];
}

/** The error that failed the run, from the Catch output or from a failed Parallel branch. */
export function describeFailure(state: WorkflowState): { error: string; cause: string } {
  const branches: Array<ClientOutcome | IntegrationOutcome | BranchFailure> = state.provisioned ?? [];
  const branchError = branches.find((b): b is BranchFailure => isBranchFailure(b))?.error;
  const raw = state.error ?? branchError ?? {};
  return { error: raw.Error ?? ONBOARDING_ERRORS.failed, cause: causeMessage(raw.Cause) };
}

export const compensateStep = defineStep({
  name: 'onboarding/compensate',
  input: workflowStateSchema,
  run: compensate,
});
