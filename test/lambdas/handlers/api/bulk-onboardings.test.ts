import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { bulkOnboardingsApi } from '../../../../lambdas/api/bulk-onboardings';
import { SfnWorkflowStarter } from '../../../../lambdas/aws/executions';
import { SfnMapRunReader } from '../../../../lambdas/aws/map-runs';
import { createBulkStatusHandler } from '../../../../lambdas/handlers/api/get-bulk-onboarding';
import { createStartHandler } from '../../../../lambdas/handlers/api/start-handler';
import { bulkExecutionName } from '../../../../lambdas/shared/bulk-request';
import { apiEvent, lambdaContext } from '../../../support/lambda';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Bulk';
const BUCKET = 'acme-manifests';

describe('bulk onboarding API', () => {
  const sfn = mockClient(SFNClient);
  const client = () => new SFNClient({ region: 'eu-west-1' });
  beforeEach(() => sfn.reset());

  describe('POST /bulk-onboardings', () => {
    const handler = createStartHandler(bulkOnboardingsApi({ manifestBucket: BUCKET }), () => ({
      starter: new SfnWorkflowStarter(MACHINE, client()),
      secretPrefix: 'genesys-onboarding',
    }));
    const post = async (body: unknown) => {
      const response = (await handler(
        apiEvent({ path: '/bulk-onboardings', body: JSON.stringify(body) }),
        lambdaContext,
      )) as { statusCode: number; body: string };
      return { statusCode: response.statusCode, body: JSON.parse(response.body) };
    };

    it('answers 202 with the bulk onboarding, named after the manifest URL and key, and starts it', async () => {
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });
      const response = await post({ manifest: `s3://${BUCKET}/in/orgs.jsonl` });
      const id = bulkExecutionName({ manifest: { bucket: BUCKET, key: 'in/orgs.jsonl' } });
      expect(response).toEqual({
        statusCode: 202,
        body: { bulkOnboardingId: id, status: 'RUNNING', statusUrl: `/bulk-onboardings/${id}` },
      });
      expect(id).toMatch(/^blk-[0-9a-f]{40}$/);
      const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
      expect(input?.name).toBe(id);
      expect(JSON.parse(input?.input as string)).toEqual({
        request: { manifest: { bucket: BUCKET, key: 'in/orgs.jsonl' } },
      });
      // Another key runs the same manifest again: another bulk onboarding.
      expect(
        bulkExecutionName({ manifest: { bucket: BUCKET, key: 'in/orgs.jsonl' }, idempotencyKey: 'again' }),
      ).not.toBe(id);
    });

    it.each([
      [{}, [{ field: 'manifest', problem: 'is required' }]],
      [
        { manifest: 'https://example.com/x' },
        [{ field: 'manifest', problem: 'must be an S3 URL: s3://<bucket>/<key>' }],
      ],
      [
        { manifest: 's3://someone-elses-bucket/orgs.jsonl' },
        [{ field: 'manifest', problem: `must be in the stack's manifest bucket: s3://${BUCKET}/<key>` }],
      ],
      [
        { manifest: `s3://${BUCKET}/results/blk-1/summary.json` },
        [{ field: 'manifest', problem: 'must not be under work/ or results/: the stack writes there' }],
      ],
      [
        { manifest: `s3://${BUCKET}/x.csv`, idempotencyKey: 'no spaces' },
        [{ field: 'idempotencyKey', problem: 'must be 1 to 64 letters, digits, "-" or "_"' }],
      ],
      [
        { manifest: `s3://${BUCKET}/x.csv`, dryRun: true },
        [{ field: 'dryRun', problem: 'is not a known field' }],
      ],
    ])('refuses %j with 400 naming the field, and starts nothing', async (body, problems) => {
      const response = await post(body);
      expect(response).toEqual({
        statusCode: 400,
        body: { message: 'Invalid bulk onboarding request', problems },
      });
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });
  });

  describe('GET /bulk-onboardings/{bulkOnboardingId}', () => {
    const handler = createBulkStatusHandler(bulkOnboardingsApi(), () => ({
      starter: new SfnWorkflowStarter(MACHINE, client()),
      mapRuns: new SfnMapRunReader(client()),
    }));
    const ID = `blk-${'b'.repeat(40)}`;
    const get = async (id: string) => {
      const response = await handler(
        apiEvent({
          httpMethod: 'GET',
          pathParameters: { bulkOnboardingId: id },
          path: `/bulk-onboardings/${id}`,
        }),
        lambdaContext,
      );
      return { statusCode: response.statusCode, body: JSON.parse(response.body) };
    };

    it("gives the map run's counts while it runs, from its newest map run", async () => {
      sfn
        .on(DescribeExecutionCommand)
        .resolves({ executionArn: 'x', status: 'RUNNING', startDate: new Date('2026-11-30T10:00:00Z') });
      sfn
        .on(ListMapRunsCommand, {
          executionArn: `arn:aws:states:eu-west-1:123456789012:execution:Bulk:${ID}`,
        })
        .resolves({
          mapRuns: [
            {
              mapRunArn: 'old',
              executionArn: 'x',
              stateMachineArn: 'm',
              startDate: new Date('2026-11-30T10:00:01Z'),
            },
            {
              mapRunArn: 'new',
              executionArn: 'x',
              stateMachineArn: 'm',
              startDate: new Date('2026-11-30T10:05:00Z'),
            },
          ],
        });
      sfn.on(DescribeMapRunCommand, { mapRunArn: 'new' }).resolves({
        itemCounts: {
          pending: 30,
          running: 10,
          succeeded: 8,
          failed: 2,
          timedOut: 0,
          aborted: 0,
          total: 50,
          resultsWritten: 10,
          failuresNotRedrivable: 0,
          pendingRedrive: 0,
        },
      });
      expect(await get(ID)).toEqual({
        statusCode: 200,
        body: {
          bulkOnboardingId: ID,
          status: 'RUNNING',
          startedAt: '2026-11-30T10:00:00.000Z',
          orgs: { total: 50, pending: 30, running: 10, succeeded: 8, failed: 2, timedOut: 0, aborted: 0 },
        },
      });
    });

    it('gives the summary of a finished one (only its own fields), and no counts before the map started', async () => {
      sfn.on(DescribeExecutionCommand).resolves({
        executionArn: 'x',
        status: 'SUCCEEDED',
        startDate: new Date('2026-11-30T10:00:00Z'),
        stopDate: new Date('2026-11-30T10:09:00Z'),
        output: JSON.stringify({
          total: 3,
          succeeded: 2,
          failed: 1,
          notStarted: 0,
          reused: 1,
          failedOrgs: [
            { line: 2, orgId: 'o', error: 'Onboarding.MissingRoles', cause: 'c', extra: 'dropped' },
          ],
          invalidLines: [],
          listsTruncated: false,
          results: {
            summary: 's3://b/results/x/summary.json',
            mapResults: 's3://b/results/x/m/manifest.json',
          },
          secretLooking: 'not passed on',
        }),
      });
      sfn.on(ListMapRunsCommand).resolves({ mapRuns: [] });
      const { body } = await get(ID);
      expect(body.result).toEqual({
        total: 3,
        succeeded: 2,
        failed: 1,
        notStarted: 0,
        reused: 1,
        failedOrgs: [{ line: 2, orgId: 'o', error: 'Onboarding.MissingRoles', cause: 'c' }],
        invalidLines: [],
        listsTruncated: false,
        results: { summary: 's3://b/results/x/summary.json', mapResults: 's3://b/results/x/m/manifest.json' },
      });
      expect(body.orgs).toBeUndefined();
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
      expect((await get(ID)).statusCode).toBe(404);
      expect(await get('onb-not-bulk')).toEqual({
        statusCode: 400,
        body: {
          message: 'Invalid bulk onboarding id',
          problems: [
            { field: 'bulkOnboardingId', problem: 'must be an id returned by POST /bulk-onboardings' },
          ],
        },
      });
    });
  });
});
