import { ensureOAuthClientStep } from '../../workflows/onboarding/steps/ensure-oauth-client';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(ensureOAuthClientStep);
