import type {
  Credential,
  CredentialInfo,
  CredentialInfoCursorListing,
  CredentialInfoListing,
  CredentialRequest,
} from './models';
import { collectCursorPages, collectNumberedPages } from './paging';
import type { Redactor } from './redactor';
import type { ApiTransport } from './transport';

const BASE = '/api/v2/integrations/credentials';
const LISTING_PAGE_SIZE = 200;

export class CredentialsApi {
  constructor(
    private readonly api: ApiTransport,
    private readonly redactor: Redactor,
  ) {}

  create(request: CredentialRequest): Promise<CredentialInfo> {
    this.redactor.add(request.credentialFields.clientSecret);
    return this.api.call({ method: 'POST', path: BASE, body: request });
  }

  /** GET returns the credential with its sensitive fields redacted. */
  get(credentialId: string): Promise<Credential> {
    return this.api.call({ method: 'GET', path: `${BASE}/${encodeURIComponent(credentialId)}` });
  }

  update(credentialId: string, request: CredentialRequest): Promise<CredentialInfo> {
    this.redactor.add(request.credentialFields.clientSecret);
    return this.api.call({
      method: 'PUT',
      path: `${BASE}/${encodeURIComponent(credentialId)}`,
      body: request,
    });
  }

  async delete(credentialId: string): Promise<void> {
    await this.api.call({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(credentialId)}` });
  }

  /** Every credential, over the cursor-paged GET /api/v2/integrations/credentials/listing. */
  listAll(): Promise<CredentialInfo[]> {
    return collectCursorPages(async (after) => {
      const page = await this.api.call<CredentialInfoCursorListing>({
        method: 'GET',
        path: `${BASE}/listing`,
        query: { after, pageSize: String(LISTING_PAGE_SIZE) },
      });
      return { ...page, entities: (page.entities ?? []) as CredentialInfo[] };
    });
  }

  /** The deprecated numbered listing (GET /api/v2/integrations/credentials), for orgs without the cursor listing. */
  listAllNumbered(): Promise<CredentialInfo[]> {
    return collectNumberedPages(async (pageNumber) => {
      const page = await this.api.call<CredentialInfoListing>({
        method: 'GET',
        path: BASE,
        query: { pageNumber, pageSize: 100 },
      });
      return { ...page, entities: (page.entities ?? []) as CredentialInfo[] };
    });
  }

  async findByName(name: string): Promise<CredentialInfo[]> {
    return (await this.listAll()).filter((credential) => credential.name === name);
  }
}
