import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { ONBOARDINGS } from '../../../../lambdas/api/onboardings';
import { SfnWorkflowStarter } from '../../../../lambdas/aws/executions';
import { createStartHandler } from '../../../../lambdas/handlers/api/start-handler';
import { apiEvent, lambdaContext } from '../../../support/lambda';
import { sampleRequest } from '../../../support/requests';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Onboarding';

describe('POST /onboardings, for any body', () => {
  const sfn = mockClient(SFNClient);
  const handler = createStartHandler(ONBOARDINGS, () => ({
    starter: new SfnWorkflowStarter(MACHINE, new SFNClient({ region: 'eu-west-1' })),
    secretPrefix: 'genesys-onboarding',
  }));
  const post = (body: string) =>
    handler(apiEvent({ body }), lambdaContext) as Promise<{ statusCode: number; body: string }>;

  /** Bodies: any text, any JSON, and the sample request with one field replaced by anything. */
  const bodies = fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc
      .tuple(
        fc.constantFrom(
          'orgId',
          'region',
          'oauthClient',
          'integration',
          'bootstrapSecretId',
          'adoptExisting',
        ),
        fc.jsonValue(),
      )
      .map(([field, value]) => JSON.stringify({ ...sampleRequest(), [field]: value })),
  );

  it('answers 202 having started one execution, or 400 naming a field having started none', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        sfn.reset();
        sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });
        const response = await post(body);
        const started = sfn.commandCalls(StartExecutionCommand).length;
        if (response.statusCode === 202) {
          expect(started).toBe(1);
        } else {
          expect(response.statusCode).toBe(400);
          expect(started).toBe(0);
          const answer = JSON.parse(response.body) as { problems: Array<{ field: string; problem: string }> };
          expect(answer.problems.length).toBeGreaterThan(0);
          for (const problem of answer.problems) expect(problem.field).not.toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });
});
