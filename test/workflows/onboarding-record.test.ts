import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretDescription } from '../../lambdas/shared/secret-store';
import { storeWith } from '../support/stores';
import { PREFIX, WorkflowWorld } from '../support/workflow';

const ROTATION = { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotation', everyDays: 30 };

/** RecordConfiguration with the stack's rotation setting (local runs have none). */
describe('RecordConfiguration schedules rotation', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start();
  });
  afterAll(() => world.stop());

  /** Deps whose store logs each write and scheduling of `secretId`, and describes it with `rotation`. */
  const watched = (secretId: string, rotation?: SecretDescription['rotation']) => {
    const log: string[] = [];
    const base = world.deps();
    const secrets = storeWith(world.secrets, {
      put: async (secret) => {
        if (secret.name === secretId) log.push('put');
        return world.secrets.put(secret);
      },
      describe: async (id) => {
        const described = await world.secrets.describe(id);
        return described && rotation ? { ...described, rotation } : described;
      },
      scheduleRotation: async (id, schedule) => {
        log.push(`schedule ${id} every ${schedule.everyDays} days`);
        return true;
      },
    });
    return { log, deps: { secrets, settings: { ...base.settings, rotation: ROTATION } } };
  };

  it('after the record names the integration (scheduling runs the rotation function on it)', async () => {
    const org = await world.newOrg();
    const secretId = resultSecretName(PREFIX, org.id);
    const { log, deps } = watched(secretId);
    const execution = await org.run(undefined, deps);
    expect(execution.status).toBe('SUCCEEDED');
    // The client's step writes the record twice (intent, then the client); Record writes the ids, then schedules.
    expect(log).toEqual(['put', 'put', 'put', `schedule ${secretId} every 30 days`]);
    expect((await org.resultSecret())?.integrationId).toEqual(expect.any(String));
  });

  it('not again when the secret already rotates on that schedule', async () => {
    const org = await world.newOrg();
    const secretId = resultSecretName(PREFIX, org.id);
    const { log, deps } = watched(secretId, { enabled: true, everyDays: 30 });
    expect((await org.run(undefined, deps)).status).toBe('SUCCEEDED');
    expect(log).toEqual(['put', 'put', 'put']);
  });
});
