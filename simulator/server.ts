import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { missingPermissions, newContextId, SimApiError, SimOAuthError } from './api-error';
import { purgeDeletedClients, tokensStillWork } from './consistency';
import { createOrg } from './create-org';
import { type Fault, FaultPlan, type RandomFaults, type ScriptedFault } from './faults';
import { type KnobReader, knobReader, type SimulatorKnobs, type SimulatorOptions } from './options';
import { Router } from './router';
import { actionRoutes } from './routes/actions';
import { authorizationRoutes } from './routes/authorization';
import { credentialRoutes } from './routes/credentials';
import { integrationRoutes } from './routes/integrations';
import { oauthClientRoutes } from './routes/oauth-clients';
import { organizationRoutes } from './routes/organization';
import {
  clientPermissions,
  type OrgSeed,
  permissionMatches,
  type SeededOrg,
  type SimOAuthClient,
  type SimOrg,
  type SimToken,
} from './state';

export interface RequestLogEntry {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  /** The matched route template, e.g. `/api/v2/oauth/clients/{clientId}`. */
  readonly route?: string;
  readonly query: string;
  readonly status: number;
  readonly orgId?: string;
  readonly clientId?: string;
  readonly fault?: Fault['kind'];
}

interface Window {
  start: number;
  count: number;
}

const TOKEN_PATH = '/oauth/token';

/**
 * A Genesys Cloud Platform API stand-in on 127.0.0.1, faithful to genesys-cloud-api.md, with the odd states
 * real orgs have (docs/simulator.md). API and login share one base URL.
 */
export class GenesysSimulator {
  readonly orgs = new Map<string, SimOrg>();
  readonly requestLog: RequestLogEntry[] = [];
  readonly faults = new FaultPlan();
  readonly tokens = new Map<string, SimToken>();
  /** The knobs, changeable while the simulator runs; an unset knob has its default (`KNOB_DEFAULTS`). */
  options: SimulatorKnobs;
  /** A knob's current value, or its default. */
  readonly knob: KnobReader = knobReader(() => this.options);

  private readonly router = new Router();
  private readonly rateWindows = new Map<string, Window>();
  private readonly tokenWindows = new Map<string, Window>();
  private server?: Server;
  private baseUrl?: string;

  constructor(options: SimulatorOptions = {}) {
    const { randomFaults, ...rest } = options;
    this.options = rest;
    this.faults.setRandom(randomFaults);
    organizationRoutes(this.router, {
      withoutRoleDivisions: () => this.options.tokenInfoWithoutRoleDivisions === true,
    });
    authorizationRoutes(this.router);
    oauthClientRoutes(this.router, {
      knobs: this.knob,
      revokeTokens: (clientId) => this.revokeTokens(clientId),
    });
    // Credentials and actions first: /integrations/credentials and /integrations/actions must not be taken
    // for /integrations/{integrationId}.
    credentialRoutes(this.router, { knobs: this.knob });
    actionRoutes(this.router);
    integrationRoutes(this.router, { knobs: this.knob });
  }

  /** The base URL for both the API and login services, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('the simulator is not started');
    return this.baseUrl;
  }

  /**
   * Adds an org built from its seed (roles, divisions, bootstrap client, and any seeded clients, integrations
   * and credentials). A seeded `deleted` client lingers `deletedClientLingerMs` from now.
   * @throws Error when the org id exists already or the seed is inconsistent (see `createOrg`)
   */
  addOrg(seed: OrgSeed): SeededOrg {
    const seeded = createOrg(seed, {
      now: Date.now(),
      deletedClientLingerMs: this.knob('deletedClientLingerMs'),
    });
    if (this.orgs.has(seeded.org.id)) throw new Error(`org ${seeded.org.id} exists already`);
    this.orgs.set(seeded.org.id, seeded.org);
    return seeded;
  }

  org(orgId: string): SimOrg {
    const org = this.orgs.get(orgId);
    if (!org) throw new Error(`no org ${orgId}`);
    return org;
  }

  injectFault(fault: ScriptedFault): void {
    this.faults.script(fault);
  }

  setRandomFaults(config: RandomFaults | undefined): void {
    this.faults.setRandom(config);
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.knob('port'), this.knob('host'), () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://${address.address}:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private revokeTokens(clientId: string): void {
    for (const [token, info] of this.tokens) if (info.clientId === clientId) this.tokens.delete(token);
  }

  private findClient(clientId: string): { org: SimOrg; client: SimOAuthClient } | undefined {
    for (const org of this.orgs.values()) {
      const client = org.clients.get(clientId);
      if (client) return { org, client };
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const matched = this.router.match(method, path);
    const template =
      typeof matched === 'object' ? matched.route.template : path === TOKEN_PATH ? TOKEN_PATH : undefined;
    const log = (status: number, extra: Partial<RequestLogEntry> = {}) =>
      this.requestLog.push({
        time: Date.now(),
        method,
        path,
        route: template,
        query: url.search,
        status,
        ...extra,
      });

    const rawBody = await readBody(req, this.knob('maxBodyBytes'));

    const fault = this.faults.draw(method, path, template);
    if (fault?.kind === 'reset') {
      log(0, { fault: 'reset' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay' && !fault.afterProcessing) await sleep(fault.delayMs);
    const lateAnswer = fault?.kind === 'delay' && fault.afterProcessing ? fault.delayMs : 0;
    const latencyMs = this.knob('latencyMs');
    if (latencyMs) await sleep(latencyMs);
    const contextId = newContextId();
    if (fault?.kind === 'status') {
      const error = faultError(fault.status, fault.retryAfterSeconds);
      log(fault.status, { fault: 'status' });
      return send(res, error.status, error.body(contextId), contextId, error.headers);
    }

    if (path === TOKEN_PATH) {
      try {
        const { status, body, clientId, orgId } = this.token(req, rawBody);
        log(status, { clientId, orgId });
        return send(res, status, body, contextId);
      } catch (error) {
        if (!(error instanceof SimOAuthError)) throw error;
        log(error.status);
        return send(res, error.status, error.body(), contextId);
      }
    }

    let orgId: string | undefined;
    let clientId: string | undefined;
    try {
      if (matched === undefined) throw new SimApiError(404, 'not.found', `No resource found for ${path}`);
      if (matched === 'method-not-allowed')
        throw new SimApiError(405, 'method.not.allowed', 'Method not allowed');
      const caller = this.authenticate(req);
      purgeDeletedClients(caller.org);
      orgId = caller.org.id;
      clientId = caller.client.id;
      this.checkRateLimit(req);
      const { route, params } = matched;
      if (route.permissions.length > 0) {
        const held = clientPermissions(caller.org, caller.client);
        const allowed = route.permissions.some((required) =>
          held.some((g) => permissionMatches(g, required)),
        );
        if (!allowed) throw missingPermissions(route.permissions);
      }
      const body = parseJsonBody(req, rawBody);
      const result = await route.handler({
        org: caller.org,
        caller: caller.client,
        params,
        query: url.searchParams,
        body,
      });
      log(result.status, { orgId, clientId });
      if (lateAnswer) await sleep(lateAnswer);
      return send(res, result.status, result.body, contextId);
    } catch (error) {
      if (!(error instanceof SimApiError)) throw error;
      log(error.status, { orgId, clientId });
      return send(res, error.status, error.body(contextId), contextId, error.headers);
    }
  }

  private authenticate(req: IncomingMessage): { org: SimOrg; client: SimOAuthClient } {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match?.[1])
      throw new SimApiError(
        401,
        'authentication.required',
        'No authentication bearer token specified in authorization header.',
      );
    const token = this.tokens.get(match[1]);
    if (!token) throw new SimApiError(401, 'bad.credentials', 'Invalid login credentials.');
    if (Date.now() >= token.expiresAt) {
      this.tokens.delete(match[1]);
      throw new SimApiError(401, 'credentials.expired', 'The provided credentials have expired.');
    }
    const found = this.findClient(token.clientId);
    if (!found || !tokensStillWork(found.client.state))
      throw new SimApiError(401, 'bad.credentials', 'Invalid login credentials.');
    return found;
  }

  private checkRateLimit(req: IncomingMessage): void {
    const limit = this.options.rateLimit;
    if (!limit) return;
    const token = (req.headers.authorization ?? '').slice(7);
    const retryAfter = consume(this.rateWindows, token, limit);
    if (retryAfter !== undefined) {
      throw new SimApiError(
        429,
        'too.many.requests.retry.after',
        `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
        { 'Retry-After': String(retryAfter) },
      );
    }
  }

  /** POST /oauth/token: client-credentials grant with Basic auth and a form body. */
  private token(req: IncomingMessage, rawBody: string) {
    if (req.method !== 'POST') throw new SimOAuthError(405, 'invalid_request', 'method not allowed');
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new SimOAuthError(
        400,
        'invalid_request',
        'content type must be application/x-www-form-urlencoded',
      );
    }
    const form = new URLSearchParams(rawBody);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (!basic?.[1]) throw new SimOAuthError(401, 'invalid_client', 'authentication failed');
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const id = decoded.slice(0, separator);
    const secret = decoded.slice(separator + 1);
    if (form.get('grant_type') !== 'client_credentials') {
      throw new SimOAuthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
    const limit = this.options.tokenRateLimit;
    if (limit) {
      const retryAfter = consume(this.tokenWindows, id, limit);
      if (retryAfter !== undefined) {
        throw new SimOAuthError(
          400,
          'invalid_request',
          `rate limit exceeded; retry in ${retryAfter} seconds`,
        );
      }
    }
    const found = separator > 0 ? this.findClient(id) : undefined;
    const client = found?.client;
    if (
      !found ||
      !client ||
      client.secret !== secret ||
      client.state !== 'active' ||
      client.authorizedGrantType !== 'CLIENT-CREDENTIALS' ||
      Date.now() < client.usableAt
    ) {
      throw new SimOAuthError(401, 'invalid_client', 'authentication failed');
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? client.accessTokenValiditySeconds;
    const accessToken = randomBytes(48).toString('base64url');
    this.tokens.set(accessToken, {
      orgId: found.org.id,
      clientId: client.id,
      expiresAt: Date.now() + lifetime * 1000,
    });
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'bearer', expires_in: lifetime },
      clientId: client.id,
      orgId: found.org.id,
    };
  }
}

/** Counts a request in its window; returns the seconds to wait when the window is full. */
function consume(windows: Map<string, Window>, key: string, limit: { requests: number; windowMs: number }) {
  const now = Date.now();
  let window = windows.get(key);
  if (!window || now - window.start >= limit.windowMs) {
    window = { start: now, count: 0 };
    windows.set(key, window);
  }
  if (window.count >= limit.requests)
    return Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
  window.count++;
  return undefined;
}

function faultError(status: number, retryAfterSeconds?: number): SimApiError {
  if (status === 429) {
    const seconds = retryAfterSeconds ?? 1;
    return new SimApiError(
      429,
      'too.many.requests.retry.after',
      `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
      { 'Retry-After': String(seconds) },
    );
  }
  if (status === 503) return new SimApiError(503, 'service.unavailable', 'Service Unavailable');
  if (status === 504) return new SimApiError(504, 'request.timeout', 'The request timed out');
  if (status >= 500)
    return new SimApiError(status, 'internal.server.error', 'The server encountered an unexpected condition');
  return new SimApiError(
    status,
    'bad.request',
    'The request could not be understood by the server due to malformed syntax.',
  );
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) return '\u0000too-large';
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(req: IncomingMessage, rawBody: string): unknown {
  if (rawBody === '\u0000too-large') {
    throw new SimApiError(413, 'request.entity.too.large', 'The request is over the size limit');
  }
  if (rawBody === '') return undefined;
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new SimApiError(
      415,
      'unsupported.media.type',
      'Unsupported Media Type - Unsupported or incorrect media type',
    );
  }
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new SimApiError(
      400,
      'bad.request',
      'The request could not be understood by the server due to malformed syntax.',
    );
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contextId: string,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'ININ-Correlation-Id': contextId,
    ...(text ? { 'Content-Type': 'application/json' } : {}),
    ...headers,
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
