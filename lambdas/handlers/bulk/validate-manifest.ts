import { validateManifestStep } from '../../workflows/bulk/steps/validate-manifest';
import { awsBulkDeps } from '../bulk-deps';
import { stepHandler } from '../step-handler';

export const handler = stepHandler(validateManifestStep, awsBulkDeps);
