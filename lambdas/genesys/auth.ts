import { createHash } from 'node:crypto';
import { GenesysApiError } from './errors';
import type { HttpPipeline } from './http';
import type { TokenResponse } from './models';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

interface CachedToken {
  readonly accessToken: string;
  /** Refresh from this moment on: a margin before `expires_in` runs out. */
  readonly refreshAt: number;
}

const TOKEN_PATH = '/oauth/token';
const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * Tokens cached per (login URL, client id) for the life of the process, so warm Lambdas and repeated calls
 * reuse one token (each token has its own rate limit, and minting many trips the OAuth rate limit).
 */
const tokenCache = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/** Forgets every cached token of this process (tests, benchmarks). */
export function clearTokenCache(): void {
  tokenCache.clear();
  inFlight.clear();
}

/**
 * The client-credentials grant: POST login/oauth/token with Basic auth and `grant_type=client_credentials`
 * (genesys-cloud-api.md §1). A wrong id, secret or region fails as an `authentication` error, never retried.
 */
export class ClientCredentialsTokenProvider {
  private readonly cacheKey: string;

  constructor(
    private readonly loginUrl: string,
    private readonly credentials: ClientCredentials,
    private readonly http: HttpPipeline,
  ) {
    // The secret's fingerprint is part of the key so that a wrong secret never gets a cached token.
    const fingerprint = createHash('sha256').update(credentials.clientSecret).digest('hex').slice(0, 16);
    this.cacheKey = `${loginUrl}\u0000${credentials.clientId}\u0000${fingerprint}`;
    http.redactor.add(credentials.clientSecret);
  }

  /** A valid access token: the cached one until its refresh time, else a new one (one request at a time). */
  async getToken(): Promise<string> {
    const cached = tokenCache.get(this.cacheKey);
    if (cached && this.http.clock.now() < cached.refreshAt) return cached.accessToken;
    let pending = inFlight.get(this.cacheKey);
    if (!pending) {
      pending = this.requestToken().finally(() => inFlight.delete(this.cacheKey));
      inFlight.set(this.cacheKey, pending);
    }
    return (await pending).accessToken;
  }

  /**
   * Requests a new token whatever is cached: proves that these credentials authenticate now (a cached token
   * says nothing of a secret regenerated since it was issued). The new token replaces the cached one. Throws
   * the token request's GenesysApiError (`authentication` for a wrong id or secret).
   */
  async verifyCredentials(): Promise<void> {
    await this.requestToken();
  }

  /** Drops the cached token if it is still `token`, e.g. after the API answered 401 to it. */
  invalidate(token: string): void {
    if (tokenCache.get(this.cacheKey)?.accessToken === token) tokenCache.delete(this.cacheKey);
  }

  private async requestToken(): Promise<CachedToken> {
    const basic = Buffer.from(`${this.credentials.clientId}:${this.credentials.clientSecret}`).toString(
      'base64',
    );
    const response = await this.http.send({
      method: 'POST',
      baseUrl: this.loginUrl,
      path: TOKEN_PATH,
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      idempotent: true,
    });
    let parsed: Partial<TokenResponse>;
    try {
      parsed = JSON.parse(response.text) as Partial<TokenResponse>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new GenesysApiError({
        kind: 'transient',
        status: response.status,
        method: 'POST',
        path: TOKEN_PATH,
        code: 'invalid.token.response',
        genesysMessage: 'the token response has no access_token',
      });
    }
    this.http.redactor.add(parsed.access_token);
    const lifetimeMs = (typeof parsed.expires_in === 'number' ? parsed.expires_in : 86_400) * 1000;
    const issuedAt = this.http.clock.now();
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1);
    const token: CachedToken = {
      accessToken: parsed.access_token,
      refreshAt: issuedAt + lifetimeMs - margin,
    };
    tokenCache.set(this.cacheKey, token);
    return token;
  }
}
