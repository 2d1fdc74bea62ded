import fc from 'fast-check';
import { executionName } from '../../../lambdas/shared/naming';
import { parseOnboardingRequest, validatedOnboardingRequestSchema } from '../../../lambdas/shared/request';
import { InvalidRequestError } from '../../../lambdas/shared/request-fields';
import { sampleRequest } from '../../support/requests';

const defaults = { secretPrefix: 'genesys-onboarding' };
// The rule under test: control characters, line separators and markup characters are refused in names.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029<>{}`$;|\\"]/;
const KNOWN_FIELD =
  /^(body|orgId|region|bootstrapSecretId|idempotencyKey|adoptExisting|renameIntegration|oauthClient|oauthClient\.(name|description|roles|roles\.\d+|divisionId|accessTokenValiditySeconds)|integration|integration\.(name|notes))$/;

/** Parses, and says which of the two allowed outcomes it was; anything else (another throw) fails the property. */
function outcomeOf(input: unknown): 'valid' | 'refused' {
  try {
    const parsed = parseOnboardingRequest(input, defaults);
    expect(validatedOnboardingRequestSchema.safeParse(parsed).success).toBe(true);
    return 'valid';
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const { field, problem } of error.problems) {
      expect(problem).not.toBe('');
      if (problem !== 'is not a known field') expect(field).toMatch(KNOWN_FIELD);
    }
    return 'refused';
  }
}

/** A request whose fields are drawn from anything JSON can hold, or from plausible values. */
const fieldValue = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 3, arbitrary: plausible },
    { weight: 1, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const requestLike = fc.record(
  {
    orgId: fieldValue(fc.oneof(fc.uuid(), fc.string())),
    region: fieldValue(fc.oneof(fc.constantFrom('eu-west-1', 'mypurecloud.ie', 'us-east-1'), fc.string())),
    oauthClient: fieldValue(
      fc.record(
        {
          name: fieldValue(fc.string()),
          description: fieldValue(fc.string()),
          roles: fieldValue(fc.array(fc.string(), { maxLength: 4 })),
          divisionId: fieldValue(fc.oneof(fc.constant('*'), fc.uuid(), fc.string())),
          accessTokenValiditySeconds: fieldValue(fc.integer({ min: -10, max: 200_000 })),
        },
        { requiredKeys: [] },
      ),
    ),
    integration: fieldValue(
      fc.record({ name: fieldValue(fc.string()), notes: fieldValue(fc.string()) }, { requiredKeys: [] }),
    ),
    bootstrapSecretId: fieldValue(fc.string()),
    idempotencyKey: fieldValue(fc.string()),
    adoptExisting: fieldValue(fc.boolean()),
  },
  { requiredKeys: [] },
);

describe('the onboarding request, for any input', () => {
  it('is either a valid request or a refusal naming known fields; it never throws anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), requestLike), (input) => void outcomeOf(input)),
      {
        numRuns: 500,
      },
    );
  });

  it('names any unknown field it refuses', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((key) => !(key in sampleRequest()) && !KNOWN_FIELD.test(key)),
        (key) => {
          const refused = () => parseOnboardingRequest({ ...sampleRequest(), [key]: 1 }, defaults);
          expect(refused).toThrow(InvalidRequestError);
          try {
            refused();
          } catch (error) {
            expect((error as InvalidRequestError).problems).toContainEqual({
              field: key,
              problem: 'is not a known field',
            });
          }
        },
      ),
    );
  });

  it('accepts a client name exactly when it is 1-200 characters after trimming, with no control or markup character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 210 }), (name) => {
        const input = sampleRequest(undefined, { oauthClient: { name, roles: ['Data Actions Runtime'] } });
        const trimmed = name.trim();
        const acceptable = trimmed.length >= 1 && trimmed.length <= 200 && !FORBIDDEN_IN_NAMES.test(trimmed);
        expect(outcomeOf(input)).toBe(acceptable ? 'valid' : 'refused');
      }),
      { numRuns: 400 },
    );
  });

  it('parses its own output to itself (defaults are stable)', () => {
    fc.assert(
      fc.property(requestLike, (input) => {
        if (outcomeOf(input) !== 'valid') return;
        const once = parseOnboardingRequest(input, defaults);
        expect(parseOnboardingRequest(once, defaults)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('executionName, for any valid request', () => {
  const valid = fc
    .record({
      orgId: fc.uuid(),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
      key: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined }),
    })
    .map(({ orgId, name, key }) =>
      parseOnboardingRequest(
        sampleRequest(orgId, {
          oauthClient: { name, roles: ['r'] },
          ...(key ? { idempotencyKey: key } : {}),
        }),
        defaults,
      ),
    );

  it('is a valid Step Functions execution name, the same for the same request whatever the key order', () => {
    fc.assert(
      fc.property(valid, (request) => {
        const name = executionName(request);
        expect(name).toMatch(/^onb-[0-9a-f]{8}-[0-9a-f]{40}$/);
        expect(name.length).toBeLessThanOrEqual(80);
        const reordered = Object.fromEntries(Object.entries(request).reverse()) as typeof request;
        expect(executionName(reordered)).toBe(name);
      }),
    );
  });
});
