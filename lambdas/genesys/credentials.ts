import { retryWithin } from './clock';
import { isGenesysError } from './errors';
import type { CredentialInfo, CredentialInfoCursorListing, CredentialRequest } from './models';
import { collectCursorPages } from './paging';
import { apiPath } from './paths';
import type { Redactor } from './redactor';
import type { RemovalOutcome } from './removal';
import type { ApiTransport, ConsistencyOptions } from './transport';

const BASE = '/api/v2/integrations/credentials';
/** The cursor listing's largest page (genesys-cloud-api.md §5: `pageSize` is a string, max 200). */
const LISTING_PAGE_SIZE = '200';

export interface DeleteCredentialOptions extends ConsistencyOptions {
  /**
   * How long a DELETE answered 400 or 409 is retried: the credential may still be held by an integration
   * that is being deleted (the wizard waits 3 s after deleting the integration, TF polls 30 s:
   * genesys-cloud-api.md §4, §14). @default 30000
   */
  readonly releaseTimeoutMs?: number;
}

/** Release retries: 500 ms doubling up to 4 s, equal jitter. */
const RELEASE_RETRY = { baseDelayMs: 500, maxDelayMs: 4_000, maxAttempts: 30, jitter: 'equal' } as const;
const DEFAULT_RELEASE_TIMEOUT_MS = 30_000;

/** Integration credentials (`/api/v2/integrations/credentials`, genesys-cloud-api.md §5). */
export class CredentialsApi {
  constructor(
    private readonly api: ApiTransport,
    private readonly redactor: Redactor,
  ) {}

  /**
   * GET /api/v2/integrations/credentials/{id}: the credential "with sensitive fields redacted"
   * (genesys-cloud-api.md §5), or undefined when it answers 404 (after `retryNotFoundMs`). Only its id, name and
   * type can be relied on: which client it holds cannot be read back.
   */
  async find(credentialId: string, options: ConsistencyOptions = {}): Promise<CredentialInfo | undefined> {
    try {
      return await this.api.call<CredentialInfo>({
        method: 'GET',
        path: apiPath(BASE, credentialId),
        retryNotFoundMs: options.retryNotFoundMs,
      });
    } catch (error) {
      if (isGenesysError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** POST a credential `{name, type: {name}, credentialFields}`; returns its CredentialInfo. */
  create(request: CredentialRequest): Promise<CredentialInfo> {
    this.redactor.add(request.credentialFields.clientSecret);
    return this.api.call({ method: 'POST', path: BASE, body: request });
  }

  /** PUT the whole credential again (its fields cannot be read back). */
  update(
    credentialId: string,
    request: CredentialRequest,
    options: ConsistencyOptions = {},
  ): Promise<CredentialInfo> {
    this.redactor.add(request.credentialFields.clientSecret);
    return this.api.call({
      method: 'PUT',
      path: apiPath(BASE, credentialId),
      body: request,
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /**
   * DELETE /api/v2/integrations/credentials/{id}: `deleted`, or `absent` when it answers 404/410 (after
   * `retryNotFoundMs`). A 400 or 409 (still in use) is retried for `releaseTimeoutMs`, then thrown.
   */
  async delete(credentialId: string, options: DeleteCredentialOptions = {}): Promise<RemovalOutcome> {
    try {
      await retryWithin(
        this.api.clock,
        { ...RELEASE_RETRY, windowMs: options.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS },
        (error) => isGenesysError(error) && (error.status === 400 || error.status === 409),
        () =>
          this.api.call({
            method: 'DELETE',
            path: apiPath(BASE, credentialId),
            retryNotFoundMs: options.retryNotFoundMs,
          }),
      );
      return 'deleted';
    } catch (error) {
      if (isGenesysError(error, 'not-found')) return 'absent';
      throw error;
    }
  }

  /** Every credential, over the cursor-paged GET /api/v2/integrations/credentials/listing (see `collectCursorPages`). */
  listAll(): Promise<CredentialInfo[]> {
    return collectCursorPages<CredentialInfo>(
      `${BASE}/listing`,
      (after) =>
        this.api.call<CredentialInfoCursorListing>({
          method: 'GET',
          path: `${BASE}/listing`,
          query: { after, pageSize: LISTING_PAGE_SIZE },
        }) as Promise<{ entities?: CredentialInfo[] }>,
    );
  }

  /** The credentials named exactly `name` (names are not unique), over the whole listing. */
  async findByName(name: string): Promise<CredentialInfo[]> {
    return (await this.listAll()).filter((credential) => credential.name === name);
  }
}
