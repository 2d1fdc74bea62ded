import { FLEET_ERRORS } from '../../../../lambdas/shared/fleet-errors';
import type { BulkDeps } from '../../../../lambdas/workflows/bulk/deps';
import { JSON_ARRAY_PROBLEM, MANIFEST_LIMITS } from '../../../../lambdas/workflows/bulk/manifest';
import { LIST_ENTRIES_IN_OUTPUT, summarizeBulk } from '../../../../lambdas/workflows/bulk/steps/summarize';
import {
  INVALID_LINES_IN_STATE,
  validateManifest,
} from '../../../../lambdas/workflows/bulk/steps/validate-manifest';
import { MemoryObjectStore } from '../../../support/objects';
import { sampleRequest } from '../../../support/requests';

const BUCKET = 'acme-manifests';
const ORG = (n: number) => `${String(n).padStart(8, '0')}-1111-4111-8111-111111111111`;
const ONBOARDING_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Onboarding';

function world() {
  const objects = new MemoryObjectStore();
  const deps: BulkDeps = {
    objects,
    settings: { secretPrefix: 'genesys-onboarding', onboardingStateMachineArn: ONBOARDING_ARN },
  };
  return { objects, deps };
}

const request = (key: string) => ({ manifest: { bucket: BUCKET, key } });

describe('ValidateManifest', () => {
  it('writes the valid lines as JSON Lines items (with the onboarding execution ARN) and every problem beside them', async () => {
    const { objects, deps } = world();
    await objects.put(
      BUCKET,
      'in/orgs.jsonl',
      [JSON.stringify(sampleRequest(ORG(1))), '{"orgId":"x"}', JSON.stringify(sampleRequest(ORG(2)))].join(
        '\n',
      ),
      'application/jsonl',
    );
    const outcome = await validateManifest({ request: request('in/orgs.jsonl'), bulkId: 'blk-1' }, deps);
    expect(outcome).toEqual({
      bucket: BUCKET,
      itemsKey: 'work/blk-1/items.jsonl',
      invalidLinesKey: 'work/blk-1/invalid-lines.json',
      format: 'jsonl',
      total: 3,
      valid: 2,
      rejected: 1,
      invalidLines: expect.arrayContaining([{ line: 2, field: 'orgId', problem: expect.any(String) }]),
    });
    const items = (await objects.get(BUCKET, outcome.itemsKey))?.split('\n').map((line) => JSON.parse(line));
    expect(items?.map((item) => [item.line, item.orgId])).toEqual([
      [1, ORG(1)],
      [3, ORG(2)],
    ]);
    expect(items?.[0].executionArn).toBe(
      `arn:aws:states:eu-west-1:123456789012:execution:Onboarding:${items?.[0].executionName}`,
    );
    expect(objects.json(BUCKET, outcome.invalidLinesKey)).toEqual(outcome.invalidLines);
  });

  it('ignores a UTF-8 byte order mark, and refuses a JSON array by name (its key without an extension)', async () => {
    const { objects, deps } = world();
    const lines = [sampleRequest(ORG(1)), sampleRequest(ORG(2))].map((r) => JSON.stringify(r));
    await objects.put(BUCKET, 'bom.jsonl', `\uFEFF${lines.join('\r\n')}\r\n`, 'application/jsonl');
    await objects.put(BUCKET, 'array', `\uFEFF[${lines.join(',')}]`, 'application/json');
    const bom = await validateManifest({ request: request('bom.jsonl'), bulkId: 'blk-bom' }, deps);
    expect(bom).toMatchObject({ format: 'jsonl', total: 2, valid: 2, rejected: 0, invalidLines: [] });
    const array = await validateManifest({ request: request('array'), bulkId: 'blk-array' }, deps);
    expect(array).toMatchObject({
      format: 'jsonl',
      valid: 0,
      invalidLines: [{ line: 1, field: 'line', problem: JSON_ARRAY_PROBLEM }],
    });
  });

  it('keeps at most INVALID_LINES_IN_STATE problems in the state, all of them in S3', async () => {
    const { objects, deps } = world();
    const lines = Array.from({ length: INVALID_LINES_IN_STATE + 20 }, () => 'nope').join('\n');
    await objects.put(BUCKET, 'bad.jsonl', lines, 'application/jsonl');
    const outcome = await validateManifest({ request: request('bad.jsonl'), bulkId: 'blk-2' }, deps);
    expect(outcome.invalidLines).toHaveLength(INVALID_LINES_IN_STATE);
    expect(objects.json(BUCKET, outcome.invalidLinesKey)).toHaveLength(INVALID_LINES_IN_STATE + 20);
    expect(outcome.valid).toBe(0);
  });

  it('fails with Bulk.ManifestNotFound or Bulk.ManifestTooLarge, naming the manifest', async () => {
    const { objects, deps } = world();
    await expect(
      validateManifest({ request: request('missing.jsonl'), bulkId: 'b' }, deps),
    ).rejects.toMatchObject({
      name: FLEET_ERRORS.manifestNotFound,
      message: `The manifest s3://${BUCKET}/missing.jsonl does not exist`,
    });
    await objects.put(BUCKET, 'big.jsonl', 'x'.repeat(MANIFEST_LIMITS.maxBytes + 1), 'text/plain');
    await expect(
      validateManifest({ request: request('big.jsonl'), bulkId: 'b' }, deps),
    ).rejects.toMatchObject({
      name: FLEET_ERRORS.manifestTooLarge,
    });
  });
});

describe('Summarize', () => {
  const item = (line: number) => ({ line, orgId: ORG(line), executionName: `onb-${line}`, request: {} });
  const ids = (line: number) => ({
    orgId: ORG(line),
    oauthClientId: `client-${line}`,
    integrationId: `int-${line}`,
    credentialId: `cred-${line}`,
    secretArn: `arn:secret:${line}`,
  });

  async function mapResults(objects: MemoryObjectStore) {
    const prefix = 'results/blk-9/run-1';
    await objects.put(
      BUCKET,
      `${prefix}/SUCCEEDED_0.json`,
      JSON.stringify([
        {
          Input: JSON.stringify(item(1)),
          Status: 'SUCCEEDED',
          Output: JSON.stringify({ reused: false, result: ids(1) }),
        },
        {
          Input: JSON.stringify(item(2)),
          Status: 'SUCCEEDED',
          Output: JSON.stringify({ reused: true, result: ids(2) }),
        },
      ]),
      'application/json',
    );
    // As a .sync task reports a failed child: States.TaskFailed, the child's DescribeExecution as the cause.
    const childFailed = JSON.stringify({
      Status: 'FAILED',
      Error: 'Onboarding.MissingRoles',
      Cause: 'lacks "Supervisor"',
    });
    await objects.put(
      BUCKET,
      `${prefix}/FAILED_0.json`,
      JSON.stringify([
        { Input: JSON.stringify(item(3)), Status: 'FAILED', Error: 'States.TaskFailed', Cause: childFailed },
        {
          Input: JSON.stringify(item(4)),
          Status: 'FAILED',
          Error: 'Bulk.EarlierRunEnded',
          Cause: 'ended ABORTED',
        },
      ]),
      'application/json',
    );
    await objects.put(
      BUCKET,
      `${prefix}/manifest.json`,
      JSON.stringify({
        DestinationBucket: BUCKET,
        MapRunArn: 'arn:aws:states:eu-west-1:123456789012:mapRun:Bulk/OnboardOrgs:1',
        ResultFiles: {
          FAILED: [{ Key: `${prefix}/FAILED_0.json`, Size: 1 }],
          PENDING: [],
          SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json`, Size: 1 }],
        },
      }),
      'application/json',
    );
    return { Bucket: BUCKET, Key: `${prefix}/manifest.json` };
  }

  it("builds the summary from the map's result files and the invalid lines, and writes it whole", async () => {
    const { objects, deps } = world();
    const writer = await mapResults(objects);
    await objects.put(
      BUCKET,
      'work/blk-9/invalid-lines.json',
      JSON.stringify([{ line: 5, field: 'orgId', problem: 'bad' }]),
      'application/json',
    );
    const result = await summarizeBulk(
      {
        bulkId: 'blk-9',
        validation: { bucket: BUCKET, invalidLinesKey: 'work/blk-9/invalid-lines.json', rejected: 1 },
        map: { MapRunArn: 'arn', ResultWriterDetails: writer },
      },
      deps,
    );
    const summary = {
      total: 5,
      succeeded: 2,
      failed: 3,
      notStarted: 0,
      reused: 1,
      failedOrgs: [
        { line: 3, orgId: ORG(3), error: 'Onboarding.MissingRoles', cause: 'lacks "Supervisor"' },
        { line: 4, orgId: ORG(4), error: 'Bulk.EarlierRunEnded', cause: 'ended ABORTED' },
      ],
      invalidLines: [{ line: 5, field: 'orgId', problem: 'bad' }],
    };
    expect(result).toEqual({
      ...summary,
      listsTruncated: false,
      results: {
        summary: `s3://${BUCKET}/results/blk-9/summary.json`,
        mapResults: `s3://${BUCKET}/${writer.Key}`,
      },
    });
    expect(objects.json(BUCKET, 'results/blk-9/summary.json')).toEqual(summary);
  });

  it('summarizes a manifest without valid lines (the map did not run), and cuts long lists in its output', async () => {
    const { objects, deps } = world();
    const problems = Array.from({ length: LIST_ENTRIES_IN_OUTPUT + 1 }, (_, i) => ({
      line: i + 1,
      field: 'line',
      problem: 'x',
    }));
    await objects.put(BUCKET, 'work/b/invalid-lines.json', JSON.stringify(problems), 'application/json');
    const result = await summarizeBulk(
      {
        bulkId: 'b',
        validation: {
          bucket: BUCKET,
          invalidLinesKey: 'work/b/invalid-lines.json',
          rejected: problems.length,
        },
        map: {},
      },
      deps,
    );
    expect(result).toMatchObject({
      total: problems.length,
      succeeded: 0,
      failed: problems.length,
      listsTruncated: true,
    });
    expect(result.invalidLines).toHaveLength(LIST_ENTRIES_IN_OUTPUT);
    expect(result.results).toEqual({ summary: `s3://${BUCKET}/results/b/summary.json` });
    expect(objects.json(BUCKET, 'results/b/summary.json')).toMatchObject({ invalidLines: problems });
  });
});
