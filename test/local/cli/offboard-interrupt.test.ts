import { existsSync } from 'node:fs';
import { ageRecord, type OrgUnderTest, SimulatedOrgs } from './simulated-orgs';
import { ptyCli, spawnCli, until } from './support';

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const CURSOR_HIDE = '\u001b[?25l';
const CURSOR_SHOW = '\u001b[?25h';
const INTEGRATION_ROUTE = '/api/v2/integrations/{integrationId}';
const NOTICE =
  'Ctrl-C: finishing the running step, then stopping; nothing to roll back (press Ctrl-C again to stop at once)';

/**
 * Ctrl-C during an offboarding: the first lets the running removal finish and starts no other (nothing to roll
 * back: a re-run finishes the job), the second stops at once; exit 130. The integration's DELETE takes effect
 * at once but its answer comes late, so Ctrl-C always lands while "Remove the integration" runs.
 */
describe('genesys-onboard offboard and Ctrl-C', () => {
  const orgs = new SimulatedOrgs();
  beforeAll(() => orgs.start());
  afterAll(() => orgs.stop());
  afterEach(() => orgs.simulator.faults.clear());

  /** An onboarded org whose integration DELETE will answer `lateMs` after it took effect. */
  const onboardedWithLateDelete = async (lateMs: number) => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    orgs.simulator.injectFault({
      method: 'DELETE',
      path: INTEGRATION_ROUTE,
      fault: { kind: 'delay', delayMs: lateMs, afterProcessing: true },
    });
    const since = orgs.simulator.requestLog.length;
    const integrationDeleted = () =>
      until(() =>
        orgs.simulator.requestLog
          .slice(since)
          .some((e) => e.orgId === o.org.id && e.method === 'DELETE' && e.route === INTEGRATION_ROUTE),
      );
    return { o, ids, integrationDeleted };
  };

  /** A re-run (the record aged past the 404 window) removes the rest: exit 0, nothing of ours left. */
  const rerunFinishes = async (o: OrgUnderTest) => {
    ageRecord(o);
    const again = await orgs.run([...o.offboardArgs(), '--json'], o.env);
    expect(again.code).toBe(0);
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
    expect(existsSync(o.resultFile)).toBe(false);
    return JSON.parse(again.stdout);
  };

  it('on a terminal, the first Ctrl-C (the key) finishes the running removal, starts no other and names what is left', async () => {
    const { o, ids, integrationDeleted } = await onboardedWithLateDelete(1_500);
    const running = ptyCli(o.offboardArgs(), o.env);
    await integrationDeleted();
    running.child.stdin?.write('\u0003');
    const result = await running.done;
    expect(result.code).toBe(130);
    orgs.expectNoSecretIn(result.stdout);
    const screen = result.stdout;
    expect(screen.lastIndexOf(CURSOR_SHOW)).toBeGreaterThan(screen.lastIndexOf(CURSOR_HIDE));
    const text = screen.replace(ANSI, '');
    expect(text).toContain(NOTICE);
    expect(text).toMatch(/✔ Remove the integration +\d+ ms/);
    expect(text).toMatch(/✔ Find what is left +\d+ ms/);
    expect(text).toMatch(
      /Stopped by Ctrl-C after \d+\.\d s: nothing is rolled back \(an offboarding only removes\); running the same command again finishes it\./,
    );
    expect(text).toContain(
      `Still there: credential ${ids.credentialId}, OAuth client ${ids.oauthClientId} (active), secret genesys-onboarding/${o.org.id}/data-actions-client. Run the offboarding again to finish.`,
    );
    expect(o.org.integrations.size).toBe(0);
    expect([...o.org.credentials.keys()]).toEqual([ids.credentialId]);
    expect(o.liveClients().map((c) => [c.id, c.state])).toEqual([[ids.oauthClientId, 'active']]);
    expect(existsSync(o.resultFile)).toBe(true);

    const finished = await rerunFinishes(o);
    expect(finished).toMatchObject({
      removed: {
        oauthClientId: ids.oauthClientId,
        integrationId: null,
        credentialIds: [ids.credentialId],
        secretId: `genesys-onboarding/${o.org.id}/data-actions-client`,
      },
      alreadyAbsent: [{ kind: 'integration', id: ids.integrationId }],
    });
  });

  it('a second Ctrl-C stops at once and says that re-running finishes it; re-running does', async () => {
    const { o, ids, integrationDeleted } = await onboardedWithLateDelete(2_500);
    const running = spawnCli(o.offboardArgs(), o.env);
    await integrationDeleted();
    running.child.kill('SIGINT');
    await running.waitFor(NOTICE);
    const secondAt = Date.now();
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(2_000);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^Stopped at once by a second Ctrl-C after \d+\.\d s, during "Remove the integration"\.$/,
      ),
      '  Removed before it stopped: nothing',
      '  The step that was running may have removed more.',
      '  Nothing is rolled back (an offboarding only removes): running the same command again finishes it.',
      expect.stringMatching(/^ {2}Genesys Cloud {2}region eu-west-1, API http:\/\/127\.0\.0\.1:\d+, login /),
      '',
    ]);
    expect(result.stderr).toContain('Ctrl-C again: stopping at once');
    expect(result.stderr).toMatch(
      /✖ Remove the integration +\d+ ms {2}\d+ Genesys calls? {2}stopped while running/,
    );
    expect([...o.org.credentials.keys()]).toEqual([ids.credentialId]);

    const finished = await rerunFinishes(o);
    expect(finished.alreadyAbsent).toEqual([{ kind: 'integration', id: ids.integrationId }]);
  });
});
