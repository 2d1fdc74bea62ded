import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONSISTENCY, type StepClock, type StepDeps } from '../../../../lambdas/shared/deps';
import { bootstrapSecretName, resultSecretName } from '../../../../lambdas/shared/naming';
import { parseOnboardingRequest } from '../../../../lambdas/shared/request';
import type { SecretStore } from '../../../../lambdas/shared/secret-store';
import type { OnboardingPlan } from '../../../../lambdas/workflows/onboarding/state';
import { FileSecretStore } from '../../../../local/adapters/file-secret-store';
import { SAMPLE_ORG_ID, sampleRequest } from '../../../support/requests';

const PREFIX = 'genesys-onboarding';

/** The sample org's plan as Prepare makes it for a fresh org (create both), with `overrides`. */
export function samplePlan(overrides: Partial<OnboardingPlan> = {}): OnboardingPlan {
  const request = parseOnboardingRequest(sampleRequest(), { secretPrefix: PREFIX });
  return {
    runId: '0c6f4a52-8d7e-4b1a-9f3c-2e5d7a9b1c40',
    orgId: SAMPLE_ORG_ID,
    region: 'eu-west-1',
    bootstrapSecretId: bootstrapSecretName(PREFIX, SAMPLE_ORG_ID),
    resultSecretId: resultSecretName(PREFIX, SAMPLE_ORG_ID),
    bootstrapClientId: 'bootstrap-client-id',
    adoptExisting: false,
    renameIntegration: false,
    oauthClient: {
      name: request.oauthClient.name,
      description: request.oauthClient.description,
      accessTokenValiditySeconds: request.oauthClient.accessTokenValiditySeconds,
      roleDivisions: [{ roleId: 'role-id', divisionId: 'home-division-id' }],
    },
    integration: request.integration,
    found: { client: { action: 'create' }, integration: { action: 'create' } },
    request,
    ...overrides,
  };
}

/** A file secret store in a new temporary folder, and how to remove the folder. */
export function temporaryStore(): { store: FileSecretStore; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-step-'));
  return { store: new FileSecretStore(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Step deps over `secrets` and `clock`, with the default consistency windows; no Genesys client. */
export function stepDeps(secrets: SecretStore, clock: StepClock): StepDeps {
  return {
    secrets,
    genesys: () => {
      throw new Error('this test makes no Genesys call through the deps');
    },
    settings: { secretPrefix: PREFIX, maxVerifyAttempts: 30, consistency: DEFAULT_CONSISTENCY },
    clock,
  };
}
