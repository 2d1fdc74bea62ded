import type { APIGatewayProxyResult } from 'aws-lambda';
import { ONBOARDINGS } from '../../lambdas/api/onboardings';
import { createStartHandler } from '../../lambdas/handlers/api/start-handler';
import { createStatusHandler } from '../../lambdas/handlers/api/status-handler';
import { LocalWorkflowStarter } from '../../local/runner';
import { apiEvent, lambdaContext, orgOnboardedEvent } from '../support/lambda';
import { type Cell, timed, type Verdict } from './cells';
import { type Harness, type Lane, PREFIX } from './harness';

type Submit = 'api' | 'event';

const SCENARIOS: Array<{ name: string; submits: Submit[] }> = [
  { name: 'double API submit', submits: ['api', 'api'] },
  { name: 'duplicate event', submits: ['event', 'event'] },
  { name: 'API submit and event at once', submits: ['api', 'event'] },
  { name: 'five submits at once', submits: ['api', 'event', 'api', 'event', 'api'] },
];

/**
 * The same onboarding started several times at once, through the start function (API and event, each call
 * a traced invocation), must end as one execution with one client and one integration; its status answer
 * (`GET /onboardings/{id}`) joins the leak scan.
 */
export function concurrencyCells(harness: Harness): Cell[] {
  return SCENARIOS.map(
    (scenario): Cell => ({
      section: 'concurrency',
      name: scenario.name,
      run: (lane) => concurrencyCell(harness, lane, scenario),
    }),
  );
}

async function concurrencyCell(
  harness: Harness,
  lane: Lane,
  scenario: { name: string; submits: Submit[] },
): Promise<Verdict> {
  const source = `concurrency: ${scenario.name}`;
  const org = await harness.newOrg(lane, source);
  const starter = new LocalWorkflowStarter(harness.localWorkflow());
  const start = createStartHandler(ONBOARDINGS, () => ({ starter, secretPrefix: PREFIX }));
  const status = createStatusHandler(ONBOARDINGS, () => starter);
  const body = harness.request(org);
  const { value: answers, ms } = await timed(
    harness.withDeps(harness.deps(), () =>
      Promise.all(
        scenario.submits.map((submit) =>
          harness.runtime.invoke('start-onboarding', () =>
            submit === 'api'
              ? start(apiEvent({ body: JSON.stringify(body) }), lambdaContext)
              : start(orgOnboardedEvent(body, `event-${Math.random()}`), lambdaContext),
          ),
        ),
      ),
    ),
  );
  harness.output('api', source, JSON.stringify(answers));
  const ids = new Set(
    answers.map((answer) =>
      'statusCode' in answer ? (JSON.parse(answer.body) as { onboardingId: string }).onboardingId : answer.id,
    ),
  );
  const [onboardingId] = [...ids];
  const execution = onboardingId ? await starter.wait(onboardingId) : undefined;
  if (execution) harness.output('history', source, JSON.stringify(execution));
  const answer = onboardingId
    ? ((await harness.runtime.invoke('get-onboarding', () =>
        status(apiEvent({ httpMethod: 'GET', body: null, pathParameters: { onboardingId } }), lambdaContext),
      )) as APIGatewayProxyResult)
    : undefined;
  if (answer) harness.output('api', `${source} (status)`, answer.body);
  const state = await harness.endState(org);
  const reported = answer
    ? (JSON.parse(answer.body) as { status?: string; result?: { oauthClientId?: string } })
    : {};
  const problems = [
    ...(ids.size === 1 ? [] : [`${ids.size} onboardings`]),
    ...(execution?.status === 'SUCCEEDED' ? state.problems : [`run ${execution?.status ?? 'none'}`]),
    ...(reported.status === 'SUCCEEDED' && reported.result?.oauthClientId
      ? []
      : ['the status answer shows no result']),
  ];
  return {
    name: scenario.name,
    ok: problems.length === 0,
    problems,
    detail: `${ids.size} onboarding(s), ${execution?.status ?? 'none'}, status ${answer?.statusCode ?? 'none'}: ${problems.length ? problems.join('; ') : 'consistent'} (${ms} ms to start)`,
    duplicates: state.duplicates,
  };
}
