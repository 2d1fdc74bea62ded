import * as z from 'zod/mini';
import type { StepDeps } from '../onboarding/deps';
import { prepare } from '../onboarding/prepare';
import { parseOnboardingRequest } from '../onboarding/request';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

export const createPrepareHandler = (deps: () => StepDeps) =>
  stepHandler(
    'prepare',
    z.unknown(),
    (input, stepDeps) => {
      const request = parseOnboardingRequest(input, { secretPrefix: stepDeps.settings.secretPrefix });
      return prepare(request, stepDeps);
    },
    deps,
  );

export const handler = createPrepareHandler(awsStepDeps);
