import type { GenesysClient } from '../../genesys/client';
import type { StepDeps } from '../../shared/deps';
import { openBootstrapSession } from '../../shared/session';
import type { FoundResource, RemovalInput, RemovalOutcome } from './state';

/** Removes one kind of resource; `deleted` when it went now, `absent` when it was gone already. */
export type Remover = (api: GenesysClient, id: string, deps: StepDeps) => Promise<'deleted' | 'absent'>;

/**
 * Runs a removal over the targets of one kind, in order. Each removal is idempotent (what is gone already
 * counts as done) and waits until the resource is gone, so a re-run after a crash finishes the job.
 */
export async function removeEach(
  input: RemovalInput,
  deps: StepDeps,
  kind: FoundResource['kind'],
  ids: string[],
  remove: Remover,
): Promise<RemovalOutcome> {
  const outcome: RemovalOutcome = { removed: [], alreadyAbsent: [] };
  if (ids.length === 0) return outcome;
  const { client } = await openBootstrapSession(deps, input.plan);
  for (const id of ids) {
    const result = await remove(client, id, deps);
    (result === 'deleted' ? outcome.removed : outcome.alreadyAbsent).push({ kind, id });
  }
  return outcome;
}

/**
 * Waits for a deleted resource as long as the settings allow. A 404 is final: Prepare read every target just
 * before, so one that answers 404 now is gone (removed by a crashed run, or by hand).
 */
export const removalOptions = (deps: StepDeps) => ({
  goneTimeoutMs: deps.settings.consistency.goneTimeoutMs,
});
