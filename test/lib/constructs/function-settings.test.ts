import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../../lib/constructs/function-settings';

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
});
