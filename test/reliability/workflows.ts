import { badInputCells } from './bad-inputs';
import type { WorkflowCases } from './cells';
import { concurrencyCells } from './concurrency';
import { crashCells } from './crashes';
import { callsOfAFreshRun, defaultGraceCell, genesysFaultCells } from './faults';
import { OFFBOARDING_CASES } from './offboarding';
import { realOrgCells } from './real-org';
import { ROTATION_CASES } from './rotation';
import { storeCallsOfAFreshRun, storeFaultCells } from './store-faults';

/**
 * The onboarding workflow's cases: two probe runs find the Genesys calls and the secret store calls of a
 * fresh onboarding, then every fault on each, the real-org cases, crash points, concurrency and the
 * bad-input corpus.
 */
export const ONBOARDING_CASES: WorkflowCases = {
  workflow: 'onboarding',
  async cells(harness) {
    const [lane] = harness.lanes;
    if (!lane) throw new Error('no lane');
    const genesysCalls = await callsOfAFreshRun(harness, lane);
    const storeCalls = await storeCallsOfAFreshRun(harness, lane);
    return [
      ...badInputCells(harness),
      defaultGraceCell(harness),
      ...genesysFaultCells(harness, genesysCalls),
      ...storeFaultCells(harness, storeCalls),
      ...realOrgCells(harness),
      ...crashCells(harness),
      ...concurrencyCells(harness),
    ];
  },
};

/** Every workflow's cases: the three workflows of an org's life. */
export const WORKFLOWS: WorkflowCases[] = [ONBOARDING_CASES, OFFBOARDING_CASES, ROTATION_CASES];
