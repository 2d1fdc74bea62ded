import {
  bulkOnboardingRequestSchema,
  parseBulkOnboardingRequest,
} from '../../../lambdas/shared/bulk-request';
import { bulkOnboardingRequestModel } from '../../../lib/constructs/request-models';

describe('the bulk onboarding request model', () => {
  it('names exactly the fields the bulk request accepts (API Gateway refuses any other field)', () => {
    const model = bulkOnboardingRequestModel();
    expect(Object.keys(model.properties ?? {}).sort()).toEqual(
      Object.keys(bulkOnboardingRequestSchema.def.shape).sort(),
    );
    expect(model.additionalProperties).toBe(false);
    expect(model.required).toEqual(['manifest']);
  });

  it('lets through the S3 URLs the parser takes, and stops the ones it refuses at the edge', () => {
    const pattern = new RegExp(bulkOnboardingRequestModel().properties?.manifest?.pattern as string);
    for (const url of ['s3://acme-manifests/orgs.jsonl', 's3://a.b-c/dir/with space.csv']) {
      expect(pattern.test(url)).toBe(true);
      expect(() => parseBulkOnboardingRequest({ manifest: url }, {})).not.toThrow();
    }
    for (const url of ['s3://acme-manifests/', 'https://acme-manifests/x', 's3://Upper/x']) {
      expect(pattern.test(url)).toBe(false);
      expect(() => parseBulkOnboardingRequest({ manifest: url }, {})).toThrow();
    }
  });
});
