import { ONBOARDINGS } from '../../lambdas/api/onboardings';
import { createStartHandler } from '../../lambdas/handlers/api/start-handler';
import { LocalWorkflow, LocalWorkflowStarter } from '../../local/runner';
import { apiEvent, lambdaContext, orgOnboardedEvent } from '../support/lambda';
import { type CaseResult, type Harness, PREFIX } from './harness';

type Submit = 'api' | 'event';

const SCENARIOS: Array<{ name: string; submits: Submit[] }> = [
  { name: 'double API submit', submits: ['api', 'api'] },
  { name: 'duplicate event', submits: ['event', 'event'] },
  { name: 'API submit and event at once', submits: ['api', 'event'] },
  { name: 'five submits at once', submits: ['api', 'event', 'api', 'event', 'api'] },
];

/** The same onboarding started several times at once must end as one client and one integration. */
export async function concurrency(harness: Harness): Promise<{ results: CaseResult[]; duplicates: number }> {
  const results: CaseResult[] = [];
  let duplicates = 0;
  for (const scenario of SCENARIOS) {
    const seeded = await harness.newOrg(`concurrency ${scenario.name}`);
    const starter = new LocalWorkflowStarter(new LocalWorkflow({ deps: harness.deps(), fastDelaysMs: 5 }));
    const handler = createStartHandler(ONBOARDINGS, () => ({ starter, secretPrefix: PREFIX }));
    const body = harness.request(seeded.org.id);
    const answers = await Promise.all(
      scenario.submits.map((submit) =>
        submit === 'api'
          ? handler(apiEvent({ body: JSON.stringify(body) }), lambdaContext)
          : handler(orgOnboardedEvent(body, `event-${Math.random()}`), lambdaContext),
      ),
    );
    harness.outputs.push(JSON.stringify(answers));
    const ids = new Set(
      answers.map((answer) =>
        'statusCode' in answer
          ? (JSON.parse(answer.body) as { onboardingId: string }).onboardingId
          : answer.id,
      ),
    );
    const [onboardingId] = [...ids];
    const execution = onboardingId ? await starter.wait(onboardingId) : undefined;
    if (execution) harness.outputs.push(JSON.stringify(execution));
    const state = await harness.endState(seeded);
    duplicates += state.duplicates;
    results.push({
      name: scenario.name,
      ok: ids.size === 1 && execution?.status === 'SUCCEEDED' && state.consistent && state.duplicates === 0,
      detail: `${ids.size} onboarding(s), ${execution?.status ?? 'none'}${state.problems.length ? `: ${state.problems.join(', ')}` : ''}`,
    });
  }
  return { results, duplicates };
}
