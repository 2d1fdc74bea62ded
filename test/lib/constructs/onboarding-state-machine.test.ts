import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { STEP_ERROR_NAMES } from '../../../lambdas/genesys/errors';
import { DEFAULT_CONSISTENCY } from '../../../lambdas/shared/deps';
import { ONBOARDING_ERRORS } from '../../../lambdas/shared/errors';
import { SECRET_STORE_TRANSIENT } from '../../../lambdas/shared/secret-store';
import { ONBOARDING_STATES as S } from '../../../lambdas/workflows/onboarding/states';
import { OnboardingStateMachine } from '../../../lib/constructs/onboarding-state-machine';
import { OnboardingSecrets } from '../../../lib/constructs/secrets';
import { TRANSIENT_ERRORS } from '../../../lib/constructs/state-machine-defaults';
import { type AslDefinition, type AslState, resolveTokens } from '../../../local/definitions';
import { actionsOf, emptyStack, functionOf, grantsOf } from '../../support/stack';

describe('OnboardingStateMachine', () => {
  const stack = emptyStack();
  const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: 'genesys-onboarding' });
  const onboarding = new OnboardingStateMachine(stack, 'Onboarding', { secrets, logRetention: 30 });
  const template = Template.fromStack(stack);
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const definition = JSON.parse(resolveTokens(machine?.Properties.DefinitionString)) as AslDefinition;
  const states: Record<string, AslState> = {
    ...definition.States,
    ...Object.fromEntries(
      (definition.States[S.provision]?.Branches ?? []).flatMap((branch) => Object.entries(branch.States)),
    ),
  };
  type Retrier = { ErrorEquals: string[]; MaxAttempts: number };
  type Catcher = { ErrorEquals: string[]; Next: string };

  it('is a Standard machine in JSONPath with X-Ray, logging ALL without execution data, and a timeout', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    expect(definition.TimeoutSeconds).toBe(4500);
    expect(JSON.stringify(definition)).not.toContain('JSONata');
  });

  describe('timeouts', () => {
    // step: [state, handler, Genesys calls in a row, waits (s), Lambda timeout, task timeout]; the waits:
    // the watch for a client being created (20 s), the watch of a listing after a lost create answer (15 s);
    // EnsureIntegration's wait for its run's integration creation intent (20 s) and that listing watch
    const expected: Array<[string, string, number, number, number, number]> = [
      [S.prepare, 'onboarding/prepare', 6, 20, 680, 710],
      [S.ensureOAuthClient, 'onboarding/ensure-oauth-client', 8, 20, 890, 920],
      [S.ensureIntegration, 'onboarding/ensure-integration', 4, 35, 485, 515],
      [S.configure, 'onboarding/configure-integration', 8, 15, 885, 915],
      [S.record, 'onboarding/record-configuration', 0, 0, 30, 60],
      [S.verify, 'onboarding/verify', 2, 0, 240, 270],
      [S.compensate, 'onboarding/compensate', 7, 0, 765, 795],
    ];

    it.each(expected)(
      '%s (%s): %i Genesys calls of 105 s, %i s of waits, plus 30 s: Lambda %i s, task %i s',
      (state, handler, calls, waits, lambda, task) => {
        expect(calls * 105 + waits + 30).toBe(lambda);
        expect(functionOf(template, handler).properties.Timeout).toBe(lambda);
        expect(states[state]?.TimeoutSeconds).toBe(task);
      },
    );

    it('takes the waits from the consistency windows the functions run with', () => {
      expect(DEFAULT_CONSISTENCY.clientCreationWatchMs).toBe(20_000);
      expect(DEFAULT_CONSISTENCY.integrationListingLagMs).toBe(15_000);
    });

    it('lets every function time out (retryable) before Step Functions gives up on its task', () => {
      for (const [state, handler] of expected) {
        const lambda = functionOf(template, handler).properties.Timeout as number;
        expect([state, (states[state]?.TimeoutSeconds as number) - lambda]).toEqual([state, 30]);
        expect(states[state]?.Retry).toEqual(
          expect.arrayContaining([expect.objectContaining({ ErrorEquals: [...TRANSIENT_ERRORS] })]),
        );
      }
      expect(TRANSIENT_ERRORS).toContain('Sandbox.Timedout');
    });

    it('gives the handlers no timeout variable (they have the Lambda context), and Verify its check limit', () => {
      for (const [, handler] of expected) {
        const variables = Object.keys(
          (functionOf(template, handler).properties.Environment as { Variables: object }).Variables,
        );
        expect(variables.filter((name) => /TIMEOUT|DEADLINE|BUDGET/.test(name))).toEqual([]);
      }
      expect(functionOf(template, 'onboarding/verify').properties.Environment).toMatchObject({
        Variables: { MAX_VERIFY_ATTEMPTS: '30' },
      });
    });

    it('has an execution timeout above a degraded run, and warns when set below it', () => {
      // 710 + max(920, 495) + 915 + 60 + 270 + 30 checks × 3 s + 795
      expect(onboarding.degradedRunDuration.toSeconds()).toBe(3760);
      expect(definition.TimeoutSeconds).toBeGreaterThan(onboarding.degradedRunDuration.toSeconds());
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);

      const short = emptyStack();
      new OnboardingStateMachine(short, 'Onboarding', {
        secrets: new OnboardingSecrets(short, 'Secrets', { secretPrefix: 'genesys-onboarding' }),
        logRetention: 30,
        executionTimeout: Duration.minutes(20),
      });
      Annotations.fromStack(short).hasWarning(
        '/ConstructStack/Onboarding',
        Match.stringLikeRegexp(
          'execution timeout \\(20 minutes\\) is shorter than a degraded run \\(1 hour 2 minutes',
        ),
      );
    });
  });

  it('runs Prepare, then both provisioning branches in parallel, then Configure, Record and Verify', () => {
    expect(definition.StartAt).toBe(S.prepare);
    expect(states[S.prepare]?.Next).toBe(S.provision);
    expect(definition.States[S.provision]?.Branches?.map((b) => b.StartAt)).toEqual([
      S.ensureOAuthClient,
      S.ensureIntegration,
    ]);
    expect(states[S.configure]?.Next).toBe(S.record);
    expect(states[S.record]?.Next).toBe(S.verify);
    expect(states[S.verify]?.Next).toBe(S.active);
    expect(states[S.waitForActivation]?.Next).toBe(S.verify);
  });

  it('retries rate limits and transient errors on every task, and catches every failure into Compensate', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [
        S.prepare,
        S.ensureOAuthClient,
        S.ensureIntegration,
        S.configure,
        S.record,
        S.verify,
        S.compensate,
      ].sort(),
    );
    for (const [name, state] of tasks) {
      const retriers = state.Retry as Retrier[];
      expect(retriers.map((r) => r.ErrorEquals)).toEqual(
        expect.arrayContaining([[STEP_ERROR_NAMES['rate-limited']], [...TRANSIENT_ERRORS]]),
      );
      const catchers = (state.Catch ?? []) as Catcher[];
      expect(catchers.map((c) => c.ErrorEquals)).toEqual([['States.ALL']]);
      const next = catchers[0]?.Next;
      if (name === S.compensate) expect(next).toBe(S.compensationFailed);
      else if (name === S.ensureOAuthClient || name === S.ensureIntegration)
        expect(next).toBe(`${name}Failed`);
      else expect(next).toBe(S.compensate);
    }
    expect(states[S.compensate]?.Next).toBe(S.failed);
  });

  it('retries what is worth waiting for: a racing run, a version conflict, a client not yet usable', () => {
    const errorsOf = (state: string) =>
      ((states[state]?.Retry ?? []) as Retrier[]).flatMap((r) => r.ErrorEquals);
    expect(errorsOf(S.ensureOAuthClient)).toContain(ONBOARDING_ERRORS.concurrentRun);
    expect(errorsOf(S.configure)).toContain(STEP_ERROR_NAMES.conflict);
    expect(errorsOf(S.verify)).toContain(ONBOARDING_ERRORS.credentialsNotYetUsable);
  });

  // Prepare watches the listing for the listing grace; EnsureOAuthClient may then wait for a racing creator's
  // stored secret until creatorSecretStoreMs after its client's creation, at most that much past the grace.
  it.each([
    [S.prepare, 4, 0],
    [S.ensureOAuthClient, 6, DEFAULT_CONSISTENCY.creatorSecretStoreMs],
  ])(
    '%s retries a pending client creation until the watches of its attempts cover what it waits for',
    (state, maxAttempts, afterGraceMs) => {
      const retriers = (states[state]?.Retry ?? []) as Array<
        Retrier & { IntervalSeconds: number; BackoffRate: number }
      >;
      const pending = retriers.find((r) => r.ErrorEquals.includes(ONBOARDING_ERRORS.clientCreationPending));
      expect(pending).toMatchObject({
        ErrorEquals: [ONBOARDING_ERRORS.clientCreationPending],
        MaxAttempts: maxAttempts,
        IntervalSeconds: 2,
        BackoffRate: 1,
      });
      // The first attempt and every retry watch 20 s (Prepare 100 s, above the 60 s grace; EnsureOAuthClient
      // 140 s, above the grace and the 30 s store wait), even with no interval.
      const attempts = (pending?.MaxAttempts ?? 0) + 1;
      expect(attempts * DEFAULT_CONSISTENCY.clientCreationWatchMs).toBeGreaterThan(
        DEFAULT_CONSISTENCY.clientListingGraceMs + afterGraceMs + DEFAULT_CONSISTENCY.clientCreationWatchMs,
      );
    },
  );

  it('retries Compensate after a secret store or Genesys failure that may pass, so that it finishes', () => {
    const errors = ((states[S.compensate]?.Retry ?? []) as Retrier[]).flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(
      expect.arrayContaining([
        SECRET_STORE_TRANSIENT,
        STEP_ERROR_NAMES.transient,
        STEP_ERROR_NAMES['rate-limited'],
      ]),
    );
  });

  it('tells EnsureIntegration and Configure which attempt of their state they run, from the context object', () => {
    const attempt = { 'retryCount.$': '$$.State.RetryCount', 'redriveCount.$': '$$.Execution.RedriveCount' };
    expect(states[S.ensureIntegration]?.Parameters).toEqual({ 'plan.$': '$', attempt });
    expect(states[S.configure]?.Parameters).toEqual({
      'plan.$': '$.plan',
      'client.$': '$.provisioned[0]',
      'integration.$': '$.provisioned[1]',
      attempt,
    });
  });

  it('ends with ids only, and the lists of what was changed on resources that existed before', () => {
    expect(states[S.onboarded]?.Parameters).toEqual({
      changed: { 'oauthClient.$': '$.provisioned[0].changes', 'integration.$': '$.configured.changes' },
      'orgId.$': '$.plan.orgId',
      'oauthClientId.$': '$.provisioned[0].oauthClientId',
      'integrationId.$': '$.provisioned[1].integrationId',
      'credentialId.$': '$.configured.credentialId',
      'secretArn.$': '$.provisioned[0].secretArn',
    });
  });

  it('invokes each step function from its own state', () => {
    const invoked = (state: string) => String(states[state]?.Resource);
    expect(invoked(S.prepare)).toContain(`:function:${functionOf(template, 'onboarding/prepare').id}`);
    expect(invoked(S.record)).toContain(
      `:function:${functionOf(template, 'onboarding/record-configuration').id}`,
    );
    expect(invoked(S.compensate)).toContain(`:function:${functionOf(template, 'onboarding/compensate').id}`);
  });

  describe('least privilege on secrets', () => {
    const steps = [
      'prepare',
      'ensure-oauth-client',
      'ensure-integration',
      'configure-integration',
      'record-configuration',
      'verify',
      'compensate',
    ].map((step) => `onboarding/${step}`);
    const holders = (action: string) => steps.filter((step) => actionsOf(template, step).includes(action));

    it('lets only the OAuth-client and Record steps write the result secret', () => {
      expect(holders('secretsmanager:CreateSecret')).toEqual([
        'onboarding/ensure-oauth-client',
        'onboarding/record-configuration',
      ]);
      expect(holders('secretsmanager:PutSecretValue')).toEqual(holders('secretsmanager:CreateSecret'));
    });

    it('lets only compensation delete it', () => {
      expect(holders('secretsmanager:DeleteSecret')).toEqual(['onboarding/compensate']);
    });

    it("lets compensation read it, to remove a creation intent only while it is its run's", () => {
      const read = grantsOf(template, 'onboarding/compensate')
        .filter((grant) => grant.action === 'secretsmanager:GetSecretValue')
        .map(
          (grant) => /secret:genesys-onboarding\/\*\/([a-z-]+)-/.exec(JSON.stringify(grant.resource))?.[1],
        );
      expect(read.sort()).toEqual(['bootstrap', 'data-actions-client']);
    });

    it('gives each step exactly the secrets it touches, all under the prefix', () => {
      const secretsOf = (step: string) =>
        [
          ...new Set(
            grantsOf(template, step)
              .filter((grant) => grant.action.startsWith('secretsmanager:'))
              .map(
                (grant) =>
                  /secret:genesys-onboarding\/\*\/([a-z-]+)-\?{6}/.exec(JSON.stringify(grant.resource))?.[1],
              ),
          ),
        ].sort();
      expect(Object.fromEntries(steps.map((step) => [step, secretsOf(step)]))).toEqual({
        'onboarding/prepare': ['bootstrap', 'data-actions-client'],
        'onboarding/ensure-oauth-client': ['bootstrap', 'data-actions-client'],
        // It reads the result secret for its run's integration creation intent before it installs one.
        'onboarding/ensure-integration': ['bootstrap', 'data-actions-client'],
        'onboarding/configure-integration': ['bootstrap', 'data-actions-client'],
        'onboarding/record-configuration': ['data-actions-client'],
        'onboarding/verify': ['bootstrap', 'data-actions-client'],
        'onboarding/compensate': ['bootstrap', 'data-actions-client'],
      });
    });
  });
});
