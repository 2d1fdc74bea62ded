import { App } from 'aws-cdk-lib';
import { DEFAULT_SETTINGS, type OnboardingSettings } from '../lib/config';
import { OnboardingStack } from '../lib/onboarding-stack';

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

let cached: SynthesizedWorkflow | undefined;

/**
 * Synthesizes the stack the way `cdk synth` does (bundling skipped) and takes the state machine definition
 * from its template, so the local run can never drift from what is deployed.
 */
export function synthesizeWorkflow(settings: OnboardingSettings = DEFAULT_SETTINGS): SynthesizedWorkflow {
  if (cached && settings === DEFAULT_SETTINGS) return cached;
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OnboardingStack(app, 'GenesysOnboardingLocal', { settings });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const workflow = fromTemplate(template);
  if (settings === DEFAULT_SETTINGS) cached = workflow;
  return workflow;
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
