import { ONBOARDING_STATES as S } from '../lambdas/workflows/onboarding/states';
import { DeployedShapeBench, type RunFigures } from './deployed-shape';

/** Realistic delays of Genesys Cloud for the transitions run (the simulator's other knobs keep their defaults). */
export const REALISTIC = { newClientDelayMs: 1_000, activationDelayMs: 3_000 } as const;

export interface TransitionFigures {
  readonly run: RunFigures;
  /** Verify invocations, and how many of them were retries of a new client's credentials not working yet. */
  readonly verifyInvocations: number;
  readonly credentialRetries: number;
  /** Looks through the Wait state for the integration to report ACTIVE. */
  readonly waits: number;
}

/**
 * One fresh onboarding with realistic delays (the new client's credentials work after 1 s, the integration is
 * ACTIVE 3 s after it is enabled; the listing lag and the 404 window after a create at the simulator's
 * defaults) and the definition's own waits and retry intervals, in cold containers: the state transitions Step
 * Functions would bill.
 */
export async function transitions(latencyMs: number): Promise<TransitionFigures> {
  const bench = new DeployedShapeBench({ latencyMs, simulator: REALISTIC });
  await bench.start();
  try {
    const run = await bench.onboard(await bench.newOrg(), 'cold');
    if (run.execution.status !== 'SUCCEEDED') {
      throw new Error(`the transitions run failed: ${run.execution.error}: ${run.execution.cause}`);
    }
    const events = run.execution.events as Array<{ type: string; state?: { name: string } }>;
    const named = (type: string, name: string) =>
      events.filter((e) => e.type === type && e.state?.name === name).length;
    return {
      run,
      verifyInvocations: named('StateEntered', S.verify) + named('StateRetried', S.verify),
      credentialRetries: named('StateRetried', S.verify),
      waits: named('StateEntered', S.waitForActivation),
    };
  } finally {
    await bench.stop();
  }
}
