import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BULK_STATES } from '../lambdas/workflows/bulk/states';

/** An Amazon States Language definition, as the local engine takes it. */
export type AslDefinition = { StartAt: string; States: Record<string, AslState>; TimeoutSeconds?: number };
export type AslState = {
  Type: string;
  Resource?: string;
  Branches?: AslDefinition[];
  [key: string]: unknown;
};

/**
 * The workflows the stack deploys, by name. `bulkOrg` is the bulk onboarding's item processor (one org): the
 * Distributed Map around it does not run locally (local/bulk.ts runs it instead).
 */
export type WorkflowName = 'onboarding' | 'offboarding' | 'bulkOrg' | 'driftCheck';

export type WorkflowDefinitions = Record<WorkflowName, AslDefinition>;

const FAKE = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const ROOT = path.join(__dirname, '..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'genesys-onboarding');

let cached: WorkflowDefinitions | undefined;

/**
 * The state machine definitions of the stack, built from the same constructs `cdk synth` uses, so the local
 * run can never drift from what is deployed. Building them takes about 2 s (loading aws-cdk-lib): the result
 * is cached under a hash of every source file it depends on (lib/, lambdas/) and of the aws-cdk-lib version,
 * so a change to any of them builds them again.
 */
export function workflowDefinitions(): WorkflowDefinitions {
  if (cached) return cached;
  const file = path.join(CACHE_DIR, `definitions-${sourceHash()}.json`);
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as WorkflowDefinitions;
    return cached;
  } catch {
    // not cached yet
  }
  cached = buildDefinitions();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(cached));
    renameSync(temporary, file);
  } catch {
    // a read-only checkout still works, only slower
  }
  return cached;
}

/**
 * Builds the stack with the default settings (`cdk.json` context changes only the deployed stack) and
 * resolves each state machine's definition. No synthesis: the template is never validated or written, only
 * the definitions are read from the constructs.
 */
function buildDefinitions(): WorkflowDefinitions {
  // Loaded here: aws-cdk-lib is needed only when the cache misses.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { DEFAULT_SETTINGS } = require('../lib/config') as typeof import('../lib/config');
  const { OnboardingStack } = require('../lib/onboarding-stack') as typeof import('../lib/onboarding-stack');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OnboardingStack(app, 'GenesysOnboardingLocal', { settings: DEFAULT_SETTINGS });
  const definitionOf = (machine: import('aws-cdk-lib/aws-stepfunctions').StateMachine): AslDefinition => {
    const cfn = machine.node.defaultChild as import('aws-cdk-lib/aws-stepfunctions').CfnStateMachine;
    return JSON.parse(resolveTokens(stack.resolve(cfn.definitionString))) as AslDefinition;
  };
  const bulk = definitionOf(stack.fleet.bulk.stateMachine);
  const ItemProcessor = bulk.States[BULK_STATES.onboardOrgs]?.ItemProcessor as AslDefinition;
  return {
    onboarding: definitionOf(stack.onboarding.stateMachine),
    offboarding: definitionOf(stack.offboarding.stateMachine),
    bulkOrg: { StartAt: ItemProcessor.StartAt, States: ItemProcessor.States },
    driftCheck: definitionOf(stack.fleet.driftCheck.stateMachine),
  };
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  visit(path.join(ROOT, 'lib'));
  visit(path.join(ROOT, 'lambdas'));
  hash.update(readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json')));
  return hash.digest('hex').slice(0, 24);
}

/** Resolves the intrinsic functions of a resolved definition string to text, with fake ARNs. */
export function resolveTokens(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveTokens).join(separator);
  }
  if ('Fn::GetAtt' in node) {
    const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    return `arn:${FAKE.partition}:lambda:${FAKE.region}:${FAKE.account}:function:${logicalId}`;
  }
  if ('Ref' in node) {
    const ref = node.Ref as string;
    if (ref === 'AWS::Partition') return FAKE.partition;
    if (ref === 'AWS::Region') return FAKE.region;
    if (ref === 'AWS::AccountId') return FAKE.account;
    if (ref.startsWith('AWS::')) throw new Error(`cannot resolve Ref ${ref}`);
    // A resource of the stack (a state machine a task starts, a bus it puts events on): its logical id.
    return ref;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
