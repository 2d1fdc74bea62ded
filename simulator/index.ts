export type { Fault, RandomFaults, ScriptedFault } from './faults';
export { GenesysSimulator, type RequestLogEntry, type SimulatorOptions } from './server';
export type { OrgSeed, RoleSeed, SeededOrg, SimOrg } from './state';
