import {
  DEFAULT_CONSISTENCY,
  type StepClock,
  type StepDeps,
  type StepSettings,
} from '../../lambdas/shared/deps';
import { bootstrapSecretName, resultSecretName } from '../../lambdas/shared/naming';
import { FakeGenesys } from './fake-genesys';
import { MemorySecretStore } from './memory-secret-store';

export const TEST_PREFIX = 'genesys-onboarding';
export const TEST_ORG_ID = '0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
/** When every fake clock starts: 2026-03-02T10:00:00.000Z. */
export const START_TIME = Date.parse('2026-03-02T10:00:00.000Z');

/** A StepClock that moves only when slept on, and records every sleep (ms). */
export class FakeStepClock implements StepClock {
  time = START_TIME;
  readonly sleeps: number[] = [];

  readonly now = (): number => this.time;
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
  };

  /** Moves time on without a sleep (time that passed between two invocations). */
  advance(ms: number): void {
    this.time += ms;
  }

  /** The current time as ISO text, `ms` from now. */
  iso(ms = 0): string {
    return new Date(this.time + ms).toISOString();
  }
}

/** Everything a step test needs: the fake org, the store with the org's bootstrap secret, the clock, deps. */
export interface StepWorld {
  readonly genesys: FakeGenesys;
  readonly secrets: MemorySecretStore;
  readonly clock: FakeStepClock;
  readonly deps: StepDeps;
  readonly orgId: string;
  readonly bootstrapSecretId: string;
  readonly resultSecretId: string;
}

/**
 * A fresh fake org and store for one test (tests share nothing), with the bootstrap secret stored as an
 * operator would (`{"clientId","clientSecret","region"}` for eu-west-1). `settings` overrides the defaults
 * (prefix genesys-onboarding, 5 Verify checks, DEFAULT_CONSISTENCY).
 */
export async function stepWorld(settings: Partial<StepSettings> = {}): Promise<StepWorld> {
  const clock = new FakeStepClock();
  const genesys = new FakeGenesys({ orgId: TEST_ORG_ID, now: clock.now });
  const secrets = new MemorySecretStore();
  const bootstrapSecretId = bootstrapSecretName(TEST_PREFIX, TEST_ORG_ID);
  await secrets.put({
    name: bootstrapSecretId,
    value: JSON.stringify({
      clientId: genesys.bootstrap.id,
      clientSecret: genesys.bootstrap.secret,
      region: 'eu-west-1',
    }),
  });
  secrets.calls.length = 0;
  const deps: StepDeps = {
    secrets,
    genesys: genesys.factory,
    clock,
    settings: {
      secretPrefix: TEST_PREFIX,
      maxVerifyAttempts: 5,
      consistency: DEFAULT_CONSISTENCY,
      ...settings,
    },
  };
  return {
    genesys,
    secrets,
    clock,
    deps,
    orgId: TEST_ORG_ID,
    bootstrapSecretId,
    resultSecretId: resultSecretName(TEST_PREFIX, TEST_ORG_ID),
  };
}
