import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTokenCache } from '../../lambdas/genesys/auth';
import type { StepDeps } from '../../lambdas/shared/deps';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { OnboardingRequestInput } from '../../lambdas/shared/request';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import { localStepDeps } from '../../local/deps';
import { type LocalExecution, LocalWorkflow } from '../../local/runner';
import { GenesysSimulator } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { SeededOrg } from '../../simulator/state';
import { seedOrg } from '../support/orgs';
import { sampleRequest } from '../support/requests';

export const PREFIX = 'genesys-onboarding';
export const RETRY = { baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 400, totalBudgetMs: 20_000 };

/**
 * One simulator and one file secret store for the whole reliability run; a fresh org per case. Every secret
 * any Genesys response carried is remembered (from the wire, so regenerated ones too), for the leak scan.
 */
export class Harness {
  readonly simulator = new GenesysSimulator({ activationDelayMs: 10, newClientDelayMs: 20 });
  readonly store = new FileSecretStore(mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-reliability-')));
  readonly secrets = new Set<string>();
  /** Everything that left the system and must not hold a secret: execution histories, API answers, CLI output. */
  readonly outputs: string[] = [];

  /** A fetch that remembers every `secret` and `access_token` in the answers it passes on. */
  readonly recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    for (const match of text.matchAll(/"(?:secret|access_token)":"([^"]+)"/g))
      if (match[1]) this.secrets.add(match[1]);
    return response;
  };

  async start(): Promise<void> {
    await this.simulator.start();
  }

  async stop(): Promise<void> {
    await this.simulator.stop();
  }

  /** A new org with the sample roles and its bootstrap secret stored. */
  async newOrg(name: string): Promise<SeededOrg> {
    const seeded = await seedOrg(
      this.simulator,
      this.store,
      PREFIX,
      sampleOrgSeed({ id: randomUUID(), name }),
    );
    this.secrets.add(seeded.bootstrap.clientSecret);
    return seeded;
  }

  request(orgId: string, overrides: Partial<OnboardingRequestInput> = {}): OnboardingRequestInput {
    return sampleRequest(orgId, overrides);
  }

  deps(options: { store?: SecretStore; fetch?: typeof fetch } = {}): StepDeps {
    return localStepDeps({
      secrets: options.store ?? this.store,
      retry: RETRY,
      fetch: options.fetch ?? this.recordingFetch,
      maxVerifyAttempts: 40,
      allowedHosts: ['127.0.0.1'],
    });
  }

  /** Runs the synthesized state machine once for a request; the history joins the leak scan. */
  async run(
    orgId: string,
    options: { deps?: StepDeps; signal?: AbortSignal; request?: OnboardingRequestInput } = {},
  ): Promise<LocalExecution> {
    clearTokenCache();
    const workflow = new LocalWorkflow({ deps: options.deps ?? this.deps(), fastDelaysMs: 5 });
    const { parseOnboardingRequest } = await import('../../lambdas/shared/request');
    const request = parseOnboardingRequest(options.request ?? this.request(orgId), { secretPrefix: PREFIX });
    const execution = await workflow.execute(`run-${randomUUID()}`, { request }, options.signal);
    this.outputs.push(JSON.stringify(execution));
    return execution;
  }

  /** What an org holds beyond its bootstrap client, and whether it all agrees on one secret. */
  async endState(seeded: SeededOrg): Promise<EndState> {
    const { org, bootstrap } = seeded;
    const clients = [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId);
    const integrations = [...org.integrations.values()];
    const credentials = [...org.credentials.values()];
    const stored = await this.store.get(resultSecretName(PREFIX, org.id));
    const secret = stored ? (JSON.parse(stored.value) as Record<string, string>) : undefined;
    const problems: string[] = [];
    const client = clients[0];
    const integration = integrations[0];
    const credential = credentials[0];
    if (clients.length !== 1) problems.push(`${clients.length} clients`);
    if (integrations.length !== 1) problems.push(`${integrations.length} integrations`);
    if (credentials.length !== 1) problems.push(`${credentials.length} credentials`);
    if (!secret) problems.push('no stored secret');
    if (client && secret && (secret.clientId !== client.id || secret.clientSecret !== client.secret)) {
      problems.push("stored secret is not the client's current secret");
    }
    if (
      client &&
      credential &&
      (credential.fields.clientId !== client.id || credential.fields.clientSecret !== client.secret)
    ) {
      problems.push("credential secret is not the client's current secret");
    }
    if (
      integration &&
      credential &&
      integration.config.credentials.pureCloudOAuthClient?.id !== credential.id
    ) {
      problems.push('integration not configured with the credential');
    }
    if (integration && integration.intendedState !== 'ENABLED') problems.push('integration not enabled');
    return {
      consistent: problems.length === 0,
      problems,
      leftovers: clients.length + integrations.length + credentials.length + (secret ? 1 : 0),
      duplicates:
        Math.max(0, clients.length - 1) +
        Math.max(0, integrations.length - 1) +
        Math.max(0, credentials.length - 1),
    };
  }
}

export interface EndState {
  /** Exactly one client, integration and credential, and credential secret == stored secret == client secret. */
  consistent: boolean;
  problems: string[];
  /** Resources in the org beyond the bootstrap client, plus the stored secret. */
  leftovers: number;
  duplicates: number;
}

export interface CaseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
