import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../../lib/constructs/function-settings';

const HANDLERS_DIR = path.join(__dirname, '..', '..', '..', 'lambdas', 'handlers');

type Gte = (version: string, than: string) => boolean;
/** The whole of semver (a dependency of aws-xray-sdk-core, without types). */
const semver = require('semver') as { gte: Gte };

describe('FUNCTION_BUNDLING', () => {
  it('keeps the names of classes and functions in the minified bundle, for stack traces without source maps', async () => {
    const source = `
      class StepFailure extends Error {}
      function provisionClient() { throw new StepFailure('boom'); }
      try { provisionClient(); } catch (error) { module.exports = { name: error.constructor.name, stack: error.stack }; }
    `;
    const result = await build({
      stdin: { contents: source, loader: 'js' },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      minify: FUNCTION_BUNDLING.minify,
      keepNames: FUNCTION_BUNDLING.keepNames,
      sourcemap: FUNCTION_BUNDLING.sourceMap,
      target: FUNCTION_BUNDLING.target,
    });
    const module = { exports: {} as { name?: string; stack?: string } };
    new Function('module', result.outputFiles[0]?.text ?? '')(module);
    expect(module.exports.name).toBe('StepFailure');
    expect(module.exports.stack).toContain('at provisionClient');
  });

  it('bundles the ES module build of @smithy/service-error-classification, which still classifies errors', async () => {
    const source = `
      import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
      module.exports = {
        throttling: isThrottlingError({ name: 'ThrottlingException', $metadata: {} }),
        server: isServerError({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } }),
        transient: isTransientError({ name: 'TimeoutError', $metadata: {} }),
        notThrottling: isThrottlingError({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }),
      };
    `;
    const result = await build({
      stdin: { contents: source, loader: 'js', resolveDir: __dirname },
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      minify: FUNCTION_BUNDLING.minify,
      keepNames: FUNCTION_BUNDLING.keepNames,
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      external: [...FUNCTION_BUNDLING.externalModules],
    });
    const inputs = Object.keys(result.metafile.inputs).filter((file) =>
      file.includes('@smithy/service-error-classification/'),
    );
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.every((file) => file.includes('/dist-es/'))).toBe(true);
    const module = { exports: {} as Record<string, boolean> };
    new Function('module', 'require', result.outputFiles[0]?.text ?? '')(module, require);
    expect(module.exports).toEqual({ throttling: true, server: true, transient: true, notThrottling: false });
  });

  it("gives every function's bundle semver's gte for semver, and no bundled module uses more of semver", async () => {
    const entryPoints = readdirSync(HANDLERS_DIR, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(HANDLERS_DIR, file));
    const result = await build({
      entryPoints,
      outdir: '/bundles',
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      alias: { ...FUNCTION_BUNDLING.alias },
      external: [...FUNCTION_BUNDLING.externalModules],
      logLevel: 'error',
    });
    const importers = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
      input.imports.some((imported) => imported.original === 'semver') ? [file] : [],
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const importer of importers) {
      const source = readFileSync(importer, 'utf8');
      const uses = [...source.matchAll(/\bsemver\b(\.\w+)?/g)].map((match) => match[1] ?? 'semver');
      // `semver` itself appears only where it is required (the variable and the module name).
      expect(new Set(uses)).toEqual(new Set(['semver', '.gte']));
      expect(uses.filter((use) => use === 'semver')).toHaveLength(2);
    }
  });

  it("replaces semver by a module whose gte is semver's", () => {
    const replacement = require(FUNCTION_BUNDLING.alias.semver) as { gte: Gte };
    for (const [a, b] of [
      ['3.1164.0', '3.0.0'],
      ['2.0.0', '2.0.0'],
      ['1.9.9', '2.0.0'],
      ['2.0.0-beta.1', '2.0.0'],
    ] as const) {
      expect(replacement.gte(a, b)).toBe(semver.gte(a, b));
    }
    expect(replacement.gte('3.1164.0', '3.0.0')).toBe(true);
    expect(replacement.gte('1.9.9', '2.0.0')).toBe(false);
  });
});
