import type { GenesysClient, GenesysClientOptions } from '../genesys/client';
import type { SecretStore } from './secret-store';

export type GenesysFactory = (options: GenesysClientOptions) => GenesysClient;

export interface StepSettings {
  /** Prefix of every secret name. @default genesys-onboarding */
  readonly secretPrefix: string;
  /** KMS key for the result secret (AWS); absent: the account's default key. */
  readonly resultSecretKmsKeyId?: string;
  /** How many times Verify looks at the integration before giving up. @default 30 */
  readonly maxVerifyAttempts: number;
}

/** What every step core receives: its collaborators, so the same core runs in Lambda and on a laptop. */
export interface StepDeps {
  readonly secrets: SecretStore;
  readonly genesys: GenesysFactory;
  readonly settings: StepSettings;
}
