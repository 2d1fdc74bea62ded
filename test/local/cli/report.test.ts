import { describeReport, jsonReport } from '../../../local/cli/report';
import type { OnboardingReport } from '../../../local/cli/run-onboarding';

const base: OnboardingReport = {
  onboardingId: 'onb-1',
  status: 'SUCCEEDED',
  result: {
    orgId: 'org-1',
    oauthClientId: 'client-1',
    integrationId: 'integration-1',
    credentialId: 'credential-1',
    secretArn: 'file:///secrets/org-1.json',
    changed: { oauthClient: [], integration: [] },
  },
  rolledBack: [],
  leftBehind: [],
  steps: [],
  calls: 12,
  writes: 5,
  transitions: 9,
  durationMs: 1_234,
};

const failed: OnboardingReport = {
  ...base,
  status: 'FAILED',
  result: undefined,
  error: 'Genesys.BadRequest',
  cause: 'Genesys PUT /api/v2/integrations/i/config/current failed (HTTP 400 bad.request)',
  failedStep: 'ConfigureIntegration',
  rolledBack: ['integration i', 'OAuth client c'],
  leftBehind: ['credential x (left): in use', 'secret s: denied'],
};

describe('describeReport', () => {
  it('summarises a success: ids, counts and time', () => {
    expect(describeReport(base)).toBe(
      [
        'Onboarded org org-1 in 1.2 s (12 Genesys calls, 5 of them changes, 9 state transitions)',
        '  OAuth client   client-1',
        '  Integration    integration-1',
        '  Credential     credential-1',
        '  Secret         file:///secrets/org-1.json',
      ].join('\n'),
    );
  });

  it('says where a run failed, why, what was rolled back and what is left to remove by hand', () => {
    expect(describeReport(failed)).toBe(
      [
        'Onboarding failed at "Credential, configuration, enable" (ConfigureIntegration) after 1.2 s: Genesys.BadRequest',
        '  Genesys PUT /api/v2/integrations/i/config/current failed (HTTP 400 bad.request)',
        '  Rolled back: integration i, OAuth client c',
        '  Left behind, to remove by hand: credential x (left): in use; secret s: denied',
      ].join('\n'),
    );
  });

  it('says so when nothing was created and no step is named', () => {
    const bare: OnboardingReport = { ...base, status: 'TIMED_OUT', result: undefined, durationMs: 60_000 };
    expect(describeReport(bare)).toBe(
      [
        'Onboarding failed after 60.0 s: unknown error',
        '  ',
        '  Rolled back: nothing (this run had created nothing)',
      ].join('\n'),
    );
  });

  it('does not call a run a success without its result', () => {
    expect(describeReport({ ...base, result: undefined })).toMatch(/^Onboarding failed/);
  });
});

describe('jsonReport', () => {
  it('gives the ids and the secret id of a success', () => {
    expect(jsonReport(base)).toEqual({
      status: 'SUCCEEDED',
      onboardingId: 'onb-1',
      orgId: 'org-1',
      oauthClientId: 'client-1',
      integrationId: 'integration-1',
      credentialId: 'credential-1',
      changed: { oauthClient: [], integration: [] },
      secretId: 'file:///secrets/org-1.json',
    });
  });

  it('gives the error, the failed step and the clean-up of a failure', () => {
    expect(jsonReport(failed)).toEqual({
      status: 'FAILED',
      onboardingId: 'onb-1',
      error: 'Genesys.BadRequest',
      cause: failed.cause,
      failedStep: 'ConfigureIntegration',
      rolledBack: ['integration i', 'OAuth client c'],
      leftBehind: ['credential x (left): in use', 'secret s: denied'],
    });
  });
});
