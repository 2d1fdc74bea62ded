import type { JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import type * as z from 'zod/mini';
import { offboardingRequestSchema } from '../../../lambdas/shared/offboarding-request';
import { onboardingRequestSchema } from '../../../lambdas/shared/request';
import { offboardingRequestModel, onboardingRequestModel } from '../../../lib/constructs/request-models';

/** The field names of a zod object schema and, one level down, of its object fields. */
function fieldsOf(schema: z.ZodMiniObject): Record<string, string[]> {
  const shape = schema.def.shape as unknown as Record<
    string,
    { def: { type: string; innerType?: { def: { shape?: object } }; shape?: object } }
  >;
  return Object.fromEntries(
    Object.entries(shape).map(([name, field]) => {
      const inner = field.def.type === 'optional' ? field.def.innerType?.def : field.def;
      return [name, inner?.shape ? Object.keys(inner.shape).sort() : []];
    }),
  );
}

function modelFieldsOf(model: JsonSchema): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(model.properties ?? {}).map(([name, field]) => [
      name,
      Object.keys(field.properties ?? {}).sort(),
    ]),
  );
}

describe('the API request models', () => {
  it('name exactly the fields the onboarding request accepts (API Gateway refuses any other field)', () => {
    expect(modelFieldsOf(onboardingRequestModel())).toEqual(fieldsOf(onboardingRequestSchema));
    expect(onboardingRequestModel().additionalProperties).toBe(false);
  });

  it('name exactly the fields the offboarding request accepts', () => {
    expect(modelFieldsOf(offboardingRequestModel())).toEqual(fieldsOf(offboardingRequestSchema));
    expect(offboardingRequestModel().required).toEqual(['orgId', 'region']);
  });
});
