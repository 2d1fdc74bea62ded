import { summarizeStep } from '../../workflows/bulk/steps/summarize';
import { awsBulkDeps } from '../bulk-deps';
import { stepHandler } from '../step-handler';

export const handler = stepHandler(summarizeStep, awsBulkDeps);
