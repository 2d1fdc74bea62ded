import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_SETTINGS, type OnboardingSettings } from '../../lib/config';
import { OnboardingStack } from '../../lib/onboarding-stack';

/** The stack synthesized as `cdk synth` would, with bundling skipped (the tests need no bundles). */
export function synthStack(settings: Partial<OnboardingSettings> = {}): {
  stack: OnboardingStack;
  template: Template;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OnboardingStack(app, 'TestStack', {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}
