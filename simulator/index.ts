export type { Fault, RandomFaults, ScriptedFault } from './faults';
export {
  type ActivationErrorKnob,
  KNOB_DEFAULTS,
  OAUTH_CLIENT_PAGING_MODES,
  type OAuthClientPaging,
  type SimulatorKnobs,
  type SimulatorOptions,
} from './options';
export { realisticOrgSeed, SAMPLE_CLIENT_NAME, SAMPLE_ROLE, sampleOrgSeed } from './seeds';
export { GenesysSimulator, type RequestLogEntry } from './server';
export type {
  CredentialSeed,
  IntegrationSeed,
  OAuthClientSeed,
  OrgSeed,
  RoleGrantSeed,
  RoleSeed,
  SeededOrg,
  SimClientState,
  SimMessageInfo,
  SimOrg,
} from './state';
