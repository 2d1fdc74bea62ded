import type { OffboardingRequest } from '../../lambdas/shared/offboarding-request';
import type {
  OffboardingPlan,
  OffboardingResult,
  RemovalTarget,
  ResourceKind,
} from '../../lambdas/workflows/offboarding/state';
import { SECRET_RECOVERY_WINDOW_DAYS } from './command-options';
import { label } from './progress';
import type { ReportContext } from './report';
import { OFFBOARDING_STEPS, type OffboardingReport } from './run-offboarding';

/** What the offboarding report says besides the run's own facts. */
export interface OffboardContext extends ReportContext {
  /** Where the result secret is kept: the file store deletes it at once, Secrets Manager after a window. */
  readonly store: 'file' | 'aws';
  /** The request, for what it named (a hint when nothing was found). */
  readonly request: OffboardingRequest;
}

const KIND: Record<ResourceKind, string> = {
  integration: 'integration',
  credential: 'credential',
  oauthClient: 'OAuth client',
  secret: 'secret',
};

/** The Genesys endpoints and the AWS region a run used, as report lines. */
function whereLines(report: Pick<OffboardingReport, 'endpoints'>, context: OffboardContext): string[] {
  return [
    ...report.endpoints.map(
      (e) => `  Genesys Cloud  region ${context.region}, API ${e.apiUrl}, login ${e.loginUrl}`,
    ),
    ...(context.awsRegion ? [`  AWS            Secrets Manager in ${context.awsRegion}`] : []),
  ];
}

/** How the result secret goes, by store, in words. */
function secretDeletion(context: OffboardContext, secretId: string, done: boolean): string {
  if (context.store === 'file') {
    return `the file store ${done ? 'deleted' : 'deletes'} its file at once (no recovery window)`;
  }
  return `Secrets Manager ${done ? 'keeps' : 'would keep'} it restorable for ${SECRET_RECOVERY_WINDOW_DAYS} days (aws secretsmanager restore-secret --secret-id ${secretId})`;
}

/** Each target of a plan with its kind and why it is ours, in the order they are removed. */
function targets(plan: OffboardingPlan): Array<RemovalTarget & { kind: ResourceKind }> {
  return [
    ...(plan.integration ? [{ ...plan.integration, kind: 'integration' as const }] : []),
    ...(plan.unrecordedIntegrations ?? []).map((i) => ({ ...i, kind: 'integration' as const })),
    ...plan.credentials.map((c) => ({ ...c, kind: 'credential' as const })),
    ...plan.clients.map((c) => ({ ...c, kind: 'oauthClient' as const })),
    ...(plan.secret ? [{ ...plan.secret, kind: 'secret' as const }] : []),
  ];
}

/** Already gone and left alone, and the hint when nothing of ours could be found. */
function findingLines(
  plan: OffboardingPlan | undefined,
  result: Pick<OffboardingResult, 'alreadyAbsent' | 'leftAlone'> | undefined,
  context: OffboardContext,
): string[] {
  const absent = result?.alreadyAbsent ?? plan?.alreadyAbsent ?? [];
  const leftAlone = result?.leftAlone ?? plan?.leftAlone ?? [];
  const named =
    context.request.oauthClientName !== undefined || context.request.integrationName !== undefined;
  const nothingKnown = plan && !plan.secret && targets(plan).length === 0 && plan.alreadyAbsent.length === 0;
  return [
    ...(absent.length > 0
      ? [`  Already gone: ${absent.map((a) => `${KIND[a.kind]} ${a.id}`).join(', ')}`]
      : []),
    ...leftAlone.map(
      (item) =>
        `  Left alone: ${KIND[item.kind]} ${item.id}${item.name ? ` ${JSON.stringify(item.name)}` : ''}: ${item.why}`,
    ),
    ...(nothingKnown && !named
      ? [
          `  There is no stored record ${plan.resultSecretId} and no name was given, so nothing of ours could be found: if the record was lost, give --client-name and --integration-name to find what carries the ownership marker.`,
        ]
      : []),
  ];
}

/**
 * The human summary of an offboarding: what was removed and why it was ours, how the result secret went,
 * what was already gone and what was left alone; or what failed and what is left; or, after Ctrl-C, what was
 * removed and that running it again finishes it. Ids and reasons only, never a secret.
 */
export function describeOffboarding(report: OffboardingReport, context: OffboardContext): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const where = whereLines(report, context);
  const findings = findingLines(report.plan, report.result, context);
  const removed = report.result ? removedLines(report.result, report.plan, context) : [];
  if (report.status === 'SUCCEEDED') {
    const counts = `${report.calls} Genesys calls, ${report.writes} of them changes, ${report.transitions} state transitions`;
    return [
      `Offboarded org ${context.request.orgId} in ${seconds} s (${counts}): nothing of ours is left`,
      ...(removed.length > 0
        ? ['  Removed:', ...removed]
        : ['  Removed: nothing (nothing of ours was there)']),
      ...findings,
      ...where,
    ].join('\n');
  }
  const removedSoFar =
    removed.length > 0
      ? ['  Removed before it stopped:', ...removed]
      : ['  Removed before it stopped: nothing'];
  if (report.interrupted === 'aborted') {
    const running = report.runningSteps
      .map((step) => `"${label(step, OFFBOARDING_STEPS.labels)}"`)
      .join(' and ');
    return [
      `Stopped at once by a second Ctrl-C after ${seconds} s${running ? `, during ${running}` : ''}.`,
      ...removedSoFar,
      ...(running ? ['  The step that was running may have removed more.'] : []),
      '  Nothing is rolled back (an offboarding only removes): running the same command again finishes it.',
      ...where,
    ].join('\n');
  }
  const headline =
    report.interrupted === 'stopped'
      ? `Stopped by Ctrl-C after ${seconds} s: nothing is rolled back (an offboarding only removes); running the same command again finishes it.`
      : `Offboarding failed${report.failedStep ? ` at "${label(report.failedStep, OFFBOARDING_STEPS.labels)}" (${report.failedStep})` : ''} after ${seconds} s: ${report.error ?? 'unknown error'}`;
  // Without a plan nothing was found, so nothing was removed: the cause says so.
  const removal = report.plan ? removedSoFar : [];
  return [headline, `  ${report.cause ?? ''}`, ...removal, ...findings, ...where].join('\n');
}

/** One line per removed resource: its kind, id and why it was ours (from the plan). */
function removedLines(
  result: OffboardingResult,
  plan: OffboardingPlan | undefined,
  context: OffboardContext,
): string[] {
  const why = new Map((plan ? targets(plan) : []).map((t) => [`${t.kind} ${t.id}`, t.why]));
  const line = (kind: ResourceKind, id: string, extra = '') =>
    `    ${KIND[kind].padEnd(13)} ${id}${why.has(`${kind} ${id}`) ? `: ${why.get(`${kind} ${id}`)}` : ''}${extra}`;
  const { removed } = result;
  return [
    ...(removed.integrationId ? [line('integration', removed.integrationId)] : []),
    ...removed.credentialIds.map((id) => line('credential', id)),
    ...removed.oauthClientIds.map((id) => line('oauthClient', id)),
    ...(removed.secretId
      ? [line('secret', removed.secretId, `; ${secretDeletion(context, removed.secretId, true)}`)]
      : []),
  ];
}

/**
 * The `--json` output: one object. Succeeded: `{status, offboardingId, orgId, removed: {oauthClientId,
 * oauthClientIds, integrationId, credentialIds, secretId}, alreadyAbsent: [{kind, id}], leftAlone: [{kind, id,
 * name?, why}], secretRecoveryWindowDays, region, apiUrl, loginUrl}` (ids only, null where nothing was there;
 * `secretRecoveryWindowDays` 0 for the file store, which deletes at once). Otherwise `{status, offboardingId,
 * error, cause, failedStep, ...}` with what the finished steps removed, `interrupted` after Ctrl-C and
 * `runningSteps` after a second Ctrl-C.
 */
export function offboardingJson(
  report: OffboardingReport,
  context: OffboardContext,
): Record<string, unknown> {
  const [endpoints] = report.endpoints;
  const location = {
    region: context.region,
    ...(endpoints ? { apiUrl: endpoints.apiUrl, loginUrl: endpoints.loginUrl } : {}),
    ...(context.awsRegion ? { awsRegion: context.awsRegion } : {}),
  };
  const outcome = {
    ...(report.result ?? { orgId: context.request.orgId }),
    secretRecoveryWindowDays: context.store === 'file' ? 0 : SECRET_RECOVERY_WINDOW_DAYS,
  };
  if (report.status === 'SUCCEEDED') {
    return { status: report.status, offboardingId: report.offboardingId, ...outcome, ...location };
  }
  return {
    status: report.status,
    offboardingId: report.offboardingId,
    ...(report.interrupted ? { interrupted: report.interrupted } : {}),
    error: report.error ?? null,
    cause: report.cause ?? null,
    failedStep: report.failedStep ?? null,
    ...outcome,
    ...(report.interrupted === 'aborted' ? { runningSteps: report.runningSteps } : {}),
    ...location,
  };
}

/** The dry run's plan as text: what would be removed and why, what is already gone, what is left alone. */
export function describeOffboardingPlan(plan: OffboardingPlan, context: OffboardContext): string[] {
  const planned = targets(plan).map(
    (t) =>
      `    ${KIND[t.kind].padEnd(13)} ${t.id}: ${t.why}${t.kind === 'secret' ? `; ${secretDeletion(context, t.id, false)}` : ''}`,
  );
  return [
    ...(planned.length > 0
      ? ['  Would remove, in this order:', ...planned]
      : ['  Would remove: nothing (nothing of ours was found)']),
    ...findingLines(plan, undefined, context),
    `  The bootstrap client ${plan.bootstrapClientId} is never removed.`,
  ];
}

/**
 * The dry run's plan as JSON fields: PrepareOffboarding's plan, `integration` and `secret` null when there is
 * none: `{orgId, region, bootstrapSecretId, resultSecretId, bootstrapClientId, integration: {id, why} | null,
 * unrecordedIntegrations?: [{id, why}] (only when there are some), credentials: [{id, why}], clients: [{id,
 * why}], secret: {id, why} | null, alreadyAbsent, leftAlone, secretRecoveryWindowDays}`.
 */
export function offboardingPlanJson(
  plan: OffboardingPlan,
  context: OffboardContext,
): Record<string, unknown> {
  return {
    ...plan,
    integration: plan.integration ?? null,
    secret: plan.secret ?? null,
    secretRecoveryWindowDays: context.store === 'file' ? 0 : SECRET_RECOVERY_WINDOW_DAYS,
  };
}
