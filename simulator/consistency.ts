import { notFound } from './api-error';
import type { SimClientState, SimOAuthClient, SimOrg } from './state';

/**
 * The resource with this id as a read by id sees it: 404 when unknown, and also while it was created moments
 * ago (`readableAt` in the future: TF retries reads after a create on 404, genesys-cloud-api.md §9, §14).
 * @throws SimApiError 404 `not.found` naming `what`
 */
export function findReadable<T extends { readableAt: number }>(
  items: ReadonlyMap<string, T>,
  id: string | undefined,
  what: string,
  now = Date.now(),
): T {
  const item = id ? items.get(id) : undefined;
  if (!item || now < item.readableAt) throw notFound(what);
  return item;
}

/** Whether `GET /oauth/clients` lists the client yet (the listing lags behind creates, §14). */
export const isListed = (client: SimOAuthClient, now = Date.now()): boolean => now >= client.listedAt;

/** Removes deleted clients whose lingering time is over: from then on they are 404 everywhere. */
export function purgeDeletedClients(org: SimOrg, now = Date.now()): void {
  for (const [id, client] of org.clients) {
    if (client.state === 'deleted' && client.purgeAt !== undefined && now >= client.purgeAt)
      org.clients.delete(id);
  }
}

/**
 * Whether tokens already issued to a client in this state still authenticate. `disabled`: "existing tokens
 * invalid" (JAVA-SDK). `deleted`: revoked. `inactive`: only "no new tokens" is documented, so existing tokens
 * keep working until they expire (a simulator choice: the real behaviour is UNVERIFIED).
 */
export const tokensStillWork = (state: SimClientState): boolean => state === 'active' || state === 'inactive';
