import { StateMachine } from 'aws-local-stepfunctions';
import { type WorkflowName, workflowDefinitions } from '../../local/definitions';

/** The local runner does not validate the definitions it runs (local/runner.ts): this is where they are. */
describe('the state machine definitions the stack builds', () => {
  const names: WorkflowName[] = ['onboarding', 'offboarding', 'bulkOrg', 'driftCheck'];

  it.each(names)('%s is valid Amazon States Language', (name) => {
    const definition = workflowDefinitions()[name];
    expect(
      () => new StateMachine(definition as never, { validationOptions: { checkArn: false } }),
    ).not.toThrow();
  });

  it('the validation refuses a definition whose Next names no state', () => {
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };
    expect(() => new StateMachine(broken as never, { validationOptions: { checkArn: false } })).toThrow();
  });
});
