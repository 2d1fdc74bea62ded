import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from '../lib/config';
import { readFleetSettings } from '../lib/fleet-config';
import { OnboardingStack } from '../lib/onboarding-stack';

const app = new App();
const settings = readSettings((key) => app.node.tryGetContext(key));
const fleet = readFleetSettings((key) => app.node.tryGetContext(key));
new OnboardingStack(app, app.node.tryGetContext('stackName') ?? 'GenesysOnboarding', {
  settings,
  fleet,
  description: 'Genesys Cloud Data Actions onboarding (genesys-onboarding)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
