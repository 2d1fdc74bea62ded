import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildScript, CLI, ensureBundle } from './support';

/** The CLI runs from a prebuilt bundle, rebuilt when one of its sources changes, and starts without heavy modules. */
describe('the genesys-onboard bundle', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-bundle-'));
  const { root, dist } = buildScript.REPOSITORY;

  beforeAll(ensureBundle);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is fresh while every recorded input keeps its size and time, stale when one changes or goes', () => {
    const layout = { root: path.join(scratch, 'repo'), dist: path.join(scratch, 'repo', 'dist') };
    mkdirSync(path.join(layout.root, 'src'), { recursive: true });
    mkdirSync(layout.dist);
    const source = path.join(layout.root, 'src', 'a.ts');
    writeFileSync(source, 'export const a = 1;\n');
    writeFileSync(path.join(layout.root, 'src', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(path.join(layout.dist, 'genesys-onboard.cjs'), '// bundle\n');
    buildScript.recordInputs(layout, ['src/a.ts', 'src/b.ts']);
    expect(buildScript.isBundleFresh(layout)).toBe(true);

    const later = new Date(Date.now() + 5_000);
    utimesSync(source, later, later);
    expect(buildScript.isBundleFresh(layout)).toBe(false);
    buildScript.recordInputs(layout, ['src/a.ts', 'src/b.ts']);
    writeFileSync(source, 'export const a = 10;\n');
    utimesSync(source, later, later);
    expect(buildScript.isBundleFresh(layout)).toBe(false);

    buildScript.recordInputs(layout, ['src/a.ts', 'src/b.ts']);
    rmSync(path.join(layout.root, 'src', 'b.ts'));
    expect(buildScript.isBundleFresh(layout)).toBe(false);

    buildScript.recordInputs(layout, ['src/a.ts']);
    rmSync(path.join(layout.dist, 'genesys-onboard.cjs'));
    expect(buildScript.isBundleFresh(layout)).toBe(false);
  });

  it("records the CLI's own sources and the build script among the bundle's inputs", () => {
    expect(buildScript.isBundleFresh()).toBe(true);
    const { inputs } = JSON.parse(readFileSync(path.join(dist, 'genesys-onboard.inputs.json'), 'utf8')) as {
      inputs: Record<string, [number, number]>;
    };
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining([
        'bin/genesys-onboard.ts',
        'local/cli/program.ts',
        'local/runner.ts',
        'lambdas/shared/request.ts',
        'simulator/server.ts',
        'package.json',
        'scripts/build-cli.cjs',
      ]),
    );
    // lib/ is not bundled: it is loaded from source, and only when the definitions must be built.
    expect(Object.keys(inputs).filter((file) => file.startsWith('lib/'))).toEqual([]);
  });

  it('loads lib/ through tsx, relative to the bundle, which sits one level under the repository root', () => {
    const bundle = readFileSync(path.join(dist, 'genesys-onboard.cjs'), 'utf8');
    expect(bundle).toContain('require("tsx/cjs/api").require("../lib/onboarding-stack", __filename)');
    const settings = execFileSync(
      process.execPath,
      [
        '-e',
        `const m = require('tsx/cjs/api').require('../lib/config', ${JSON.stringify(path.join(dist, 'genesys-onboard.cjs'))}); process.stdout.write(typeof m.DEFAULT_SETTINGS)`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(settings).toBe('object');
  });

  /** The packages and our own files a run of the CLI loaded. */
  const loadedBy = (args: string[], env: Record<string, string> = {}) => {
    const probe = path.join(scratch, 'loaded-modules.cjs');
    const report = path.join(scratch, 'loaded.json');
    writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache).filter((f) => f !== __filename))));\n`,
    );
    try {
      execFileSync(process.execPath, ['--require', probe, CLI, ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: { PATH: process.env.PATH ?? '', HOME: scratch, ...env },
      });
    } catch {
      // the exit code is not what is looked at here
    }
    const loaded = JSON.parse(readFileSync(report, 'utf8')) as string[];
    return {
      packages: [
        ...new Set(loaded.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? [])),
      ],
      files: loaded.filter((file) => !file.includes('node_modules')),
    };
  };

  it('runs a workflow without loading aws-cdk-lib or tsx once the definitions are cached', () => {
    // Against a port fetch never connects to: the workflow runs (and fails) in under a second.
    const onboard = [
      'onboard',
      ...['--org-id', '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37', '--region', 'eu-west-1', '--role', 'r'],
      ...['--client-name', 'c', '--integration-name', 'i', '--api-url', 'http://127.0.0.1:1'],
      ...['--secret-dir', path.join(scratch, 'secrets')],
    ];
    const env = { GENESYSCLOUD_OAUTHCLIENT_ID: 'id', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secret' };
    loadedBy(onboard, env);
    const { packages } = loadedBy(onboard, env);
    expect(packages).toEqual(expect.arrayContaining(['aws-local-stepfunctions', 'listr2', 'commander']));
    expect(packages).not.toContain('aws-cdk-lib');
    expect(packages).not.toContain('tsx');
  });

  it('starts --help and --version without loading the workflow engine, the AWS SDK, listr2, zod or tsx', () => {
    for (const args of [
      ['--help'],
      ['--version'],
      ['onboard', '--help'],
      ['offboard', '--help'],
      ['rotate', '--help'],
    ]) {
      const { packages, files } = loadedBy(args);
      expect(packages).toEqual(['commander']);
      expect(files.map((file) => path.relative(root, file))).toEqual([
        'bin/genesys-onboard.cjs',
        'scripts/build-cli.cjs',
        'dist/genesys-onboard.cjs',
      ]);
    }
  });

  it("runs from the TypeScript sources through tsx too (the bin's fallback where no bundle can be built)", () => {
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        path.join(root, 'bin', 'genesys-onboard.ts'),
        'onboard',
        '--org-idd',
        'x',
        '--json',
      ],
      { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).problems[0]).toEqual({
      flag: '--org-idd',
      problem: 'is not a known option (did you mean --org-id?)',
    });
  });
});
