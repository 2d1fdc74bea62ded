import recommendedFlags from 'aws-cdk-lib/recommended-feature-flags.json';
import cdkJson from '../../cdk.json';
import { testApp } from '../support/stack';

describe('cdk.json', () => {
  it('sets every feature flag cdk init recommends for the installed aws-cdk-lib, to its recommended value', () => {
    expect(Object.keys(recommendedFlags).length).toBeGreaterThan(80);
    expect(cdkJson.context).toMatchObject(recommendedFlags);
  });

  it('keeps the CLI offline: no notices, no telemetry', () => {
    expect(cdkJson.notices).toBe(false);
    expect(cdkJson.context['cli-telemetry']).toBe(false);
  });

  it('is the context the tests build the stack in', () => {
    const app = testApp();
    for (const [flag, value] of Object.entries(recommendedFlags)) {
      expect([flag, app.node.tryGetContext(flag)]).toEqual([flag, value]);
    }
  });
});
