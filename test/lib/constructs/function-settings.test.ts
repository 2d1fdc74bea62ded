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
});
