import type { ObjectStore } from '../../shared/object-store';

/** The collaborators of the bulk onboarding's own steps (the onboarding steps keep `StepDeps`). */
export interface BulkDeps {
  readonly objects: ObjectStore;
  readonly settings: {
    /** Prefix of every secret name: each manifest line's bootstrap secret must be its org's, under it. */
    readonly secretPrefix: string;
    /** The onboarding state machine: each item carries its execution's ARN, to look an earlier run up. */
    readonly onboardingStateMachineArn: string;
  };
}
