import { StateMachine } from 'aws-local-stepfunctions';
import { resolveTokens, type WorkflowName, workflowDefinitions } from '../../local/definitions';

describe('resolveTokens', () => {
  it('joins parts and resolves Lambda ARNs and the pseudo parameters to fake values', () => {
    expect(
      resolveTokens({
        'Fn::Join': [
          '',
          [
            '{"Resource":"',
            { 'Fn::GetAtt': ['PrepareFunction1234', 'Arn'] },
            '","Partition":"',
            { Ref: 'AWS::Partition' },
            '","Region":"',
            { Ref: 'AWS::Region' },
            '","Account":"',
            { Ref: 'AWS::AccountId' },
            '"}',
          ],
        ],
      }),
    ).toBe(
      '{"Resource":"arn:aws:lambda:us-east-1:123456789012:function:PrepareFunction1234","Partition":"aws","Region":"us-east-1","Account":"123456789012"}',
    );
    expect(resolveTokens('plain')).toBe('plain');
  });

  it('resolves a Ref to a resource of the stack to its logical id (a state machine a task starts)', () => {
    expect(resolveTokens({ Ref: 'OnboardingStateMachine1234' })).toBe('OnboardingStateMachine1234');
  });

  it.each([
    [{ 'Fn::GetAtt': ['Queue', 'QueueName'] }, 'cannot resolve Fn::GetAtt Queue.QueueName'],
    [{ Ref: 'AWS::StackName' }, 'cannot resolve Ref AWS::StackName'],
    [{ 'Fn::Sub': 'x' }, 'cannot resolve {"Fn::Sub":"x"}'],
  ])('refuses what it cannot resolve: %p', (token, message) => {
    expect(() => resolveTokens(token)).toThrow(message);
  });
});

describe('workflowDefinitions', () => {
  /** Loads the module afresh with `fs` changed as given (a cache that misses, a folder that cannot be written). */
  function freshDefinitions(
    fsChanges: (actual: typeof import('node:fs')) => Partial<typeof import('node:fs')>,
  ) {
    let definitions: typeof workflowDefinitions | undefined;
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => {
        const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
        return { ...actual, ...fsChanges(actual) };
      });
      definitions = require('../../local/definitions').workflowDefinitions;
    });
    jest.dontMock('node:fs');
    return definitions as typeof workflowDefinitions;
  }
  /** A readFileSync for which no cached definitions exist. */
  const missingCache = (actual: typeof import('node:fs')) =>
    ((file: unknown, ...rest: unknown[]) => {
      if (String(file).includes('.cache/genesys-onboarding/definitions-')) {
        throw Object.assign(new Error('no cache'), { code: 'ENOENT' });
      }
      return (actual.readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
    }) as typeof actual.readFileSync;

  it('builds the definitions from the stack when the cache misses, as the cache has them, and caches them', () => {
    const cached = workflowDefinitions();
    const renamed: string[] = [];
    const built = freshDefinitions((actual) => ({
      readFileSync: missingCache(actual),
      renameSync: ((from: string, to: string) => {
        renamed.push(to);
        actual.renameSync(from, to);
      }) as typeof actual.renameSync,
    }))();
    expect(built).toEqual(cached);
    expect(Object.keys(built.onboarding.States)).toEqual(
      expect.arrayContaining(['Prepare', 'Provision', 'Compensate']),
    );
    expect(built.onboarding.StartAt).toBe('Prepare');
    expect(renamed).toEqual([
      expect.stringMatching(/\.cache\/genesys-onboarding\/definitions-[0-9a-f]{24}\.json$/),
    ]);
  }, 120_000);

  it('still answers when the cache cannot be written (a read-only checkout)', () => {
    const refused: string[] = [];
    const built = freshDefinitions((actual) => ({
      readFileSync: missingCache(actual),
      mkdirSync: ((folder: string) => {
        refused.push(folder);
        throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
      }) as typeof actual.mkdirSync,
    }))();
    expect(built.onboarding.StartAt).toBe('Prepare');
    expect(refused).toEqual([expect.stringMatching(/\.cache\/genesys-onboarding$/)]);
  }, 120_000);

  it('answers the same definitions object on later calls in a process', () => {
    expect(workflowDefinitions()).toBe(workflowDefinitions());
  });
});

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
