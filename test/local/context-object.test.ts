import { localDefinition, RetryCounter, withValuesAt } from '../../local/context-object';
import type { AslDefinition } from '../../local/definitions';

const RETRIERS = [
  { ErrorEquals: ['Transient'], MaxAttempts: 2 },
  { ErrorEquals: ['RateLimited'], MaxAttempts: 1 },
];

/** A machine whose task `Work` reads its retry count at `attempt.retryCount`, inside a Parallel branch. */
const definition: AslDefinition = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      End: true,
      Branches: [
        {
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: 'arn:work',
              Parameters: {
                'plan.$': '$',
                attempt: {
                  'retryCount.$': '$$.State.RetryCount',
                  'redriveCount.$': '$$.Execution.RedriveCount',
                },
              },
              Retry: RETRIERS,
              End: true,
            },
          },
        },
        { StartAt: 'Other', States: { Other: { Type: 'Task', Resource: 'arn:other', End: true } } },
      ],
    },
  },
};

const error = (name: string) => Object.assign(new Error('failed'), { name });

describe('localDefinition', () => {
  it('takes the parameters that read $$.State.RetryCount out, and says where the count goes', () => {
    const local = localDefinition(definition);
    const work = local.definition.States.Both?.Branches?.[0]?.States.Work;
    expect(work?.Parameters).toEqual({
      'plan.$': '$',
      attempt: { 'redriveCount.$': '$$.Execution.RedriveCount' },
    });
    expect(work?.Retry).toEqual(RETRIERS);
    expect([...local.retryCountPaths]).toEqual([['Work', [['attempt', 'retryCount']]]]);
    expect([...local.retriers]).toEqual([['Work', RETRIERS]]);
    // The definition it was given is left as it is.
    expect(JSON.stringify(definition)).toContain('$$.State.RetryCount');
  });

  it('refuses any other $$.State path', () => {
    const other: AslDefinition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:work',
          Parameters: { 'at.$': '$$.State.EnteredTime' },
          End: true,
        },
      },
    };
    expect(() => localDefinition(other)).toThrow('The local runner has no $$.State.EnteredTime');
  });

  it.each([
    ['States.ALL', 'it retries States.ALL'],
    ['States.Timeout', 'it retries States.Timeout'],
  ])(
    'refuses a counted state whose retrier matches %s (a timeout is out of its sight)',
    (matched, reason) => {
      const timed: AslDefinition = {
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: 'arn:work',
            Parameters: { 'n.$': '$$.State.RetryCount' },
            Retry: [{ ErrorEquals: [matched] }],
            End: true,
          },
        },
      };
      expect(() => localDefinition(timed)).toThrow(`cannot count the retries of state Work: ${reason}`);
    },
  );

  it('refuses a counted state in a Map (its iterations share one name)', () => {
    const mapped: AslDefinition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Work',
            States: {
              Work: {
                Type: 'Task',
                Resource: 'arn:work',
                Parameters: { 'n.$': '$$.State.RetryCount' },
                End: true,
              },
            },
          },
        },
      },
    };
    expect(() => localDefinition(mapped)).toThrow('cannot count the retries of state Work: it runs in a Map');
  });
});

describe('RetryCounter', () => {
  const counter = () => new RetryCounter(localDefinition(definition).retriers);

  it('counts every retry since the state was entered, whichever retrier made it', () => {
    const retries = counter();
    expect(retries.begin('Work')).toBe(0);
    retries.failed('Work', error('Transient'));
    expect(retries.begin('Work')).toBe(1);
    retries.failed('Work', error('RateLimited'));
    expect(retries.begin('Work')).toBe(2);
    retries.failed('Work', error('Transient'));
    expect(retries.begin('Work')).toBe(3);
    retries.succeeded('Work');
    // Entered again (a loop back to it): a new count.
    expect(retries.begin('Work')).toBe(0);
  });

  it('counts an attempt after a retrier ran out of attempts, or after an error no retrier matches, as a new entry', () => {
    const retries = counter();
    retries.begin('Work');
    retries.failed('Work', error('RateLimited'));
    expect(retries.begin('Work')).toBe(1);
    // RateLimited allows 1 retry: this failure is not retried, so the state fails (and is caught).
    retries.failed('Work', error('RateLimited'));
    expect(retries.begin('Work')).toBe(0);
    retries.failed('Work', error('Refused'));
    expect(retries.begin('Work')).toBe(0);
    retries.failed('Work', Object.assign(error('Transient'), { isRetryable: false }));
    expect(retries.begin('Work')).toBe(0);
  });

  it('takes States.TaskFailed for any error, and 3 attempts when MaxAttempts is not given', () => {
    const retries = new RetryCounter(new Map([['Work', [{ ErrorEquals: ['States.TaskFailed'] }]]]));
    const counts = [retries.begin('Work')];
    for (let i = 0; i < 4; i++) {
      retries.failed('Work', error(`Any${i}`));
      counts.push(retries.begin('Work'));
    }
    expect(counts).toEqual([0, 1, 2, 3, 0]);
  });
});

describe('withValuesAt', () => {
  it('writes the value at each path, keeping the rest of the input', () => {
    expect(
      withValuesAt({ plan: { a: 1 }, attempt: { redriveCount: 0 } }, [['attempt', 'retryCount'], ['n']], 2),
    ).toEqual({
      plan: { a: 1 },
      attempt: { redriveCount: 0, retryCount: 2 },
      n: 2,
    });
  });
});
