import { describeReport, jsonReport } from '../../../local/cli/report';
import type { OnboardingReport } from '../../../local/cli/run-onboarding';

const URLS = { apiUrl: 'https://api.mypurecloud.ie', loginUrl: 'https://login.mypurecloud.ie' };
const ENDPOINTS = { region: 'eu-west-1', ...URLS };
const CONTEXT = { region: 'eu-west-1' };

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
  created: [],
  runningSteps: [],
  endpoints: [ENDPOINTS],
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

const WHERE =
  '  Genesys Cloud  region eu-west-1, API https://api.mypurecloud.ie, login https://login.mypurecloud.ie';

/** The lines of a successful run's report before the endpoints. */
const SUCCESS = [
  'Onboarded org org-1 in 1.2 s (12 Genesys calls, 5 of them changes, 9 state transitions)',
  '  OAuth client   client-1',
  '  Integration    integration-1',
  '  Credential     credential-1',
  '  Secret         file:///secrets/org-1.json',
];

describe('describeReport', () => {
  it('summarises a success: ids, counts, time and the endpoints used', () => {
    expect(describeReport(base, CONTEXT)).toBe([...SUCCESS, WHERE].join('\n'));
  });

  it("names Secrets Manager's AWS region and what the run changed on what existed before it", () => {
    const changed: OnboardingReport = {
      ...base,
      result: {
        ...(base.result as NonNullable<OnboardingReport['result']>),
        changed: { oauthClient: ['roles'], integration: ['name'] },
      },
    };
    expect(describeReport(changed, { ...CONTEXT, awsRegion: 'eu-central-1' })).toBe(
      [
        ...SUCCESS,
        WHERE,
        '  AWS            Secrets Manager in eu-central-1',
        '  Changed what existed before this run:',
        '    roles',
        '    name',
      ].join('\n'),
    );
  });

  it('says where a run failed, why, what was rolled back and what is left to remove by hand', () => {
    expect(describeReport(failed, CONTEXT)).toBe(
      [
        'Onboarding failed at "Credential, configuration, enable" (ConfigureIntegration) after 1.2 s: Genesys.BadRequest',
        '  Genesys PUT /api/v2/integrations/i/config/current failed (HTTP 400 bad.request)',
        '  Rolled back: integration i, OAuth client c',
        '  Left behind, to remove by hand: credential x (left): in use; secret s: denied',
        WHERE,
      ].join('\n'),
    );
  });

  it('says so when nothing was created and no step is named', () => {
    const bare: OnboardingReport = {
      ...base,
      status: 'TIMED_OUT',
      result: undefined,
      endpoints: [],
      durationMs: 60_000,
    };
    expect(describeReport(bare, CONTEXT)).toBe(
      [
        'Onboarding failed after 60.0 s: unknown error',
        '  ',
        '  Rolled back: nothing (this run had created nothing)',
      ].join('\n'),
    );
  });

  it('does not call a run a success without its result', () => {
    expect(describeReport({ ...base, result: undefined }, CONTEXT)).toMatch(/^Onboarding failed/);
  });

  it('after one Ctrl-C says the run was stopped and what was rolled back', () => {
    expect(describeReport({ ...failed, interrupted: 'rolled-back' }, CONTEXT)).toBe(
      [
        'Stopped by Ctrl-C after 1.2 s.',
        '  Rolled back: integration i, OAuth client c',
        '  Left behind, to remove by hand: credential x (left): in use; secret s: denied',
        WHERE,
      ].join('\n'),
    );
  });

  it('after a second Ctrl-C during a step lists what still exists, and what the step may have made', () => {
    const aborted: OnboardingReport = {
      ...failed,
      status: 'ABORTED',
      interrupted: 'aborted',
      created: [
        'OAuth client c',
        'credential "Integration-i" (may exist: ConfigureIntegration was stopped while creating it)',
      ],
      runningSteps: ['ConfigureIntegration'],
    };
    expect(describeReport(aborted, CONTEXT)).toBe(
      [
        'Stopped at once by a second Ctrl-C after 1.2 s, during "Credential, configuration, enable".',
        '  Nothing was rolled back. Created by this run and still there: OAuth client c, credential "Integration-i" (may exist: ConfigureIntegration was stopped while creating it)',
        '  Running the same command again resumes: it finds what exists by name and finishes the setup.',
        WHERE,
      ].join('\n'),
    );
  });

  it('after a second Ctrl-C during the rollback says some of what was created may be gone', () => {
    const aborted: OnboardingReport = {
      ...failed,
      status: 'ABORTED',
      interrupted: 'aborted',
      created: [],
      runningSteps: ['Compensate'],
    };
    expect(describeReport(aborted, CONTEXT).split('\n').slice(0, 2)).toEqual([
      'Stopped at once by a second Ctrl-C after 1.2 s, during "Roll back what this run created".',
      '  The rollback was stopped part way: of what this run created (nothing its finished steps report), some may be gone.',
    ]);
  });
});

describe('jsonReport', () => {
  it('gives the ids, the secret id and the endpoints of a success', () => {
    expect(jsonReport(base, { ...CONTEXT, awsRegion: 'eu-central-1' })).toEqual({
      status: 'SUCCEEDED',
      onboardingId: 'onb-1',
      orgId: 'org-1',
      oauthClientId: 'client-1',
      integrationId: 'integration-1',
      credentialId: 'credential-1',
      changed: { oauthClient: [], integration: [] },
      secretId: 'file:///secrets/org-1.json',
      region: 'eu-west-1',
      ...URLS,
      awsRegion: 'eu-central-1',
    });
  });

  it('gives the error, the failed step and the clean-up of a failure', () => {
    expect(jsonReport(failed, CONTEXT)).toEqual({
      status: 'FAILED',
      onboardingId: 'onb-1',
      error: 'Genesys.BadRequest',
      cause: failed.cause,
      failedStep: 'ConfigureIntegration',
      rolledBack: ['integration i', 'OAuth client c'],
      leftBehind: ['credential x (left): in use', 'secret s: denied'],
      region: 'eu-west-1',
      ...URLS,
    });
  });

  it('adds what was created and the running steps after a second Ctrl-C, and no endpoints it never reached', () => {
    const aborted: OnboardingReport = {
      ...failed,
      status: 'ABORTED',
      interrupted: 'aborted',
      created: ['OAuth client c'],
      runningSteps: ['ConfigureIntegration'],
      endpoints: [],
    };
    expect(jsonReport(aborted, CONTEXT)).toMatchObject({
      status: 'ABORTED',
      interrupted: 'aborted',
      created: ['OAuth client c'],
      runningSteps: ['ConfigureIntegration'],
      region: 'eu-west-1',
    });
    expect(jsonReport(aborted, CONTEXT)).not.toHaveProperty('apiUrl');
  });
});
