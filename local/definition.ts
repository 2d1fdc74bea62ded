import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** An Amazon States Language definition, as the local engine takes it. */
export type AslDefinition = { StartAt: string; States: Record<string, AslState>; TimeoutSeconds?: number };
export type AslState = {
  Type: string;
  Resource?: string;
  Branches?: AslDefinition[];
  [key: string]: unknown;
};

export interface SynthesizedWorkflow {
  readonly definition: AslDefinition;
  /** Task state name -> the `lambdas/handlers` file of the function it invokes (e.g. `prepare`). */
  readonly taskSteps: Record<string, string>;
}

const FAKE = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const lambdaArn = (logicalId: string) =>
  `arn:${FAKE.partition}:lambda:${FAKE.region}:${FAKE.account}:function:${logicalId}`;

const ROOT = path.join(__dirname, '..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'genesys-onboarding');

let cached: SynthesizedWorkflow | undefined;

/**
 * The state machine definition of the stack, synthesized the way `cdk synth` does (bundling skipped), so the
 * local run can never drift from what is deployed. Synthesis takes about 2 s: the result is cached under a
 * hash of every source file it depends on (lib/, lambdas/) and of the aws-cdk-lib version, so a change to
 * any of them synthesizes again.
 */
export function synthesizeWorkflow(): SynthesizedWorkflow {
  if (cached) return cached;
  const file = path.join(CACHE_DIR, `workflow-${sourceHash()}.json`);
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedWorkflow;
    return cached;
  } catch {
    // not cached yet
  }
  cached = synthesizeFresh();
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

/** Synthesizes the stack now, with the default settings (`cdk.json` context changes only the deployed stack). */
function synthesizeFresh(): SynthesizedWorkflow {
  // Loaded here: aws-cdk-lib is needed only when the cache misses.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { DEFAULT_SETTINGS } = require('../lib/config') as typeof import('../lib/config');
  const { OnboardingStack } = require('../lib/onboarding-stack') as typeof import('../lib/onboarding-stack');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OnboardingStack(app, 'GenesysOnboardingLocal', { settings: DEFAULT_SETTINGS });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  return fromTemplate(template);
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

/** Resolves the definition's intrinsic functions to fake ARNs and maps each task to its handler. */
export function fromTemplate(template: {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}): SynthesizedWorkflow {
  const resources = Object.entries(template.Resources);
  const machine = resources.find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (!machine) throw new Error('the template has no state machine');
  const definition = JSON.parse(resolve(machine[1].Properties.DefinitionString)) as AslDefinition;

  const stepByArn = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = (resource.Properties.Environment as { Variables?: Record<string, string> } | undefined)
      ?.Variables;
    if (variables?.ONBOARDING_STEP) stepByArn.set(lambdaArn(logicalId), variables.ONBOARDING_STEP);
  }
  const taskSteps: Record<string, string> = {};
  const visit = (machineDefinition: AslDefinition) => {
    for (const [name, state] of Object.entries(machineDefinition.States)) {
      if (state.Type === 'Task') {
        const step = state.Resource ? stepByArn.get(state.Resource) : undefined;
        if (!step) throw new Error(`task ${name} invokes ${state.Resource}, which is no onboarding function`);
        taskSteps[name] = step;
      }
      for (const branch of state.Branches ?? []) visit(branch);
    }
  };
  visit(definition);
  return { definition, taskSteps };
}

function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(separator);
  }
  if ('Fn::GetAtt' in node) {
    const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    return lambdaArn(logicalId);
  }
  if ('Ref' in node) {
    const ref = node.Ref as string;
    if (ref === 'AWS::Partition') return FAKE.partition;
    if (ref === 'AWS::Region') return FAKE.region;
    if (ref === 'AWS::AccountId') return FAKE.account;
    throw new Error(`cannot resolve Ref ${ref}`);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
