import { type JsonSchema, JsonSchemaType, JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import { listRegions } from '../../lambdas/genesys/regions';

/**
 * JSON schemas (draft 4, what API Gateway validates with) of the request bodies: a first, coarse check at the
 * edge; the start function validates again, field by field, with the request's zod schema. They must name
 * exactly the fields that schema accepts (a test holds them together), since unknown fields are refused here.
 */

const name: JsonSchema = { type: JsonSchemaType.STRING, minLength: 1, maxLength: 200 };
const flag: JsonSchema = { type: JsonSchemaType.BOOLEAN };
const common = {
  orgId: { type: JsonSchemaType.STRING, pattern: '^[0-9a-fA-F-]{36}$' },
  region: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 64, description: listRegions().join(', ') },
  bootstrapSecretId: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 2048 },
  idempotencyKey: { type: JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
} satisfies Record<string, JsonSchema>;

/** The body of `POST /onboardings` (lambdas/shared/request.ts). */
export const onboardingRequestModel = (): JsonSchema => ({
  schema: JsonSchemaVersion.DRAFT4,
  title: 'OnboardingRequest',
  type: JsonSchemaType.OBJECT,
  additionalProperties: false,
  required: ['orgId', 'region', 'oauthClient', 'integration'],
  properties: {
    ...common,
    oauthClient: {
      type: JsonSchemaType.OBJECT,
      additionalProperties: false,
      required: ['name', 'roles'],
      properties: {
        name,
        description: { type: JsonSchemaType.STRING, maxLength: 1000 },
        roles: { type: JsonSchemaType.ARRAY, minItems: 1, maxItems: 50, uniqueItems: true, items: name },
        divisionId: { type: JsonSchemaType.STRING, maxLength: 36 },
        accessTokenValiditySeconds: { type: JsonSchemaType.INTEGER, minimum: 300, maximum: 172800 },
      },
    },
    integration: {
      type: JsonSchemaType.OBJECT,
      additionalProperties: false,
      required: ['name'],
      properties: { name, notes: { type: JsonSchemaType.STRING, maxLength: 2000 } },
    },
    adoptExisting: flag,
    renameIntegration: flag,
  },
});

/** The body of `POST /offboardings` (lambdas/shared/offboarding-request.ts). */
export const offboardingRequestModel = (): JsonSchema => ({
  schema: JsonSchemaVersion.DRAFT4,
  title: 'OffboardingRequest',
  type: JsonSchemaType.OBJECT,
  additionalProperties: false,
  required: ['orgId', 'region'],
  properties: { ...common, oauthClientName: name, integrationName: name, force: flag },
});

/** The body of `POST /bulk-onboardings` (lambdas/shared/bulk-request.ts). */
export const bulkOnboardingRequestModel = (): JsonSchema => ({
  schema: JsonSchemaVersion.DRAFT4,
  title: 'BulkOnboardingRequest',
  type: JsonSchemaType.OBJECT,
  additionalProperties: false,
  required: ['manifest'],
  properties: {
    manifest: {
      type: JsonSchemaType.STRING,
      pattern: '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$',
      maxLength: 1093,
    },
    idempotencyKey: common.idempotencyKey,
  },
});
