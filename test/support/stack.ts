import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../cdk.json';
import { DEFAULT_SETTINGS, type OnboardingSettings } from '../../lib/config';
import type { FleetSettings } from '../../lib/fleet-config';
import { OnboardingStack } from '../../lib/onboarding-stack';

/**
 * An app with the context `cdk synth` gives it (cdk.json: the feature flags, the CLI settings), with bundling
 * skipped (the tests need no bundles). `new App()` alone does not read cdk.json.
 */
export function testApp(): App {
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
}

/** The stack synthesized as `cdk synth` would (with the given fleet settings, else their defaults). */
export function synthStack(
  settings: Partial<OnboardingSettings> = {},
  fleet?: FleetSettings,
): {
  stack: OnboardingStack;
  template: Template;
} {
  const app = testApp();
  const stack = new OnboardingStack(app, 'TestStack', {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    ...(fleet ? { fleet } : {}),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}

/** An empty stack, in an app with the synth context, to test one construct in. */
export function emptyStack(): Stack {
  return new Stack(testApp(), 'ConstructStack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

export type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

/** The logical id of the function whose handler file is `handler` (e.g. `onboarding/prepare`). */
export function functionOf(
  template: Template,
  handler: string,
): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: `genesys-onboarding ${handler}` },
    }),
  );
  const [entry] = found;
  if (found.length !== 1 || !entry) throw new Error(`${found.length} functions for handler ${handler}`);
  return { id: entry[0], properties: entry[1].Properties as Record<string, unknown> };
}

/** Every policy statement attached to the role of the function whose handler file is `handler`. */
export function statementsOf(template: Template, handler: string): Statement[] {
  const roleRef = (functionOf(template, handler).properties.Role as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every action granted to the function whose handler file is `handler`. */
export const actionsOf = (template: Template, handler: string): string[] =>
  statementsOf(template, handler).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** One action on one resource that a policy statement allows, with the statement's condition. */
export type Grant = { action: string; resource: unknown; condition?: unknown };

/**
 * What the role of the function whose handler file is `handler` is allowed: one grant per action and
 * resource, however the statements were merged (`@aws-cdk/aws-iam:minimizePolicies`).
 */
export function grantsOf(template: Template, handler: string): Grant[] {
  return statementsOf(template, handler)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      [statement.Action].flat().flatMap((action) =>
        [statement.Resource].flat().map((resource) => ({
          action,
          resource,
          ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
        })),
      ),
    );
}
