'use strict';
// The genesys-onboard CLI as one prebuilt CommonJS bundle (dist/genesys-onboard.cjs): starting it costs a
// file read instead of compiling TypeScript on every start. Packages stay in node_modules (not bundled); the
// stack code under lib/ is loaded from source, through tsx, only when local/definitions.ts must build the
// state machine definitions (its cache missed), so aws-cdk-lib is never part of a start.
//
// Plain CommonJS, so that bin/genesys-onboard.cjs can check and rebuild the bundle before anything else.
// `npm run build:cli` (or `node scripts/build-cli.cjs`) builds it.

const fs = require('node:fs');
const path = require('node:path');

/**
 * Where the bundle and the record of its inputs live: `<dist>/genesys-onboard.cjs` and
 * `<dist>/genesys-onboard.inputs.json` = `{"inputs": {"<path relative to root>": [size, mtimeMs]}}`.
 * dist/ must sit directly under root: the bundle's requires of lib/ are relative to it.
 */
const REPOSITORY = { root: path.join(__dirname, '..'), dist: path.join(__dirname, '..', 'dist') };

const bundleOf = (layout) => path.join(layout.dist, 'genesys-onboard.cjs');
const inputsOf = (layout) => path.join(layout.dist, 'genesys-onboard.inputs.json');

/**
 * True when the bundle exists and every file it was built from still has the size and modification time
 * recorded at build time (this script is one of them). One stat per input (about 90), no reads.
 */
function isBundleFresh(layout = REPOSITORY) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputsOf(layout), 'utf8')).inputs;
    fs.statSync(bundleOf(layout));
  } catch {
    return false;
  }
  for (const [file, [size, mtimeMs]] of Object.entries(recorded)) {
    let stat;
    try {
      stat = fs.statSync(path.join(layout.root, file));
    } catch {
      return false;
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/** Writes the record of `files` (paths relative to the root) as they are now; written beside, then renamed. */
function recordInputs(layout, files) {
  const inputs = {};
  for (const file of files) {
    const stat = fs.statSync(path.join(layout.root, file));
    inputs[file] = [stat.size, stat.mtimeMs];
  }
  const temporary = `${inputsOf(layout)}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ inputs }));
  fs.renameSync(temporary, inputsOf(layout));
}

/**
 * Builds the bundle of bin/genesys-onboard.ts with esbuild and records its inputs. Written beside and renamed
 * into place, so a CLI starting meanwhile (or a second build) never reads half a file. Resolves with the
 * bundle's path; rejects when esbuild is not installed or a source does not compile.
 */
async function buildBundle(layout = REPOSITORY) {
  const esbuild = require('esbuild');
  fs.mkdirSync(layout.dist, { recursive: true });
  const bundle = bundleOf(layout);
  const temporary = `${bundle}.${process.pid}.tmp`;
  const result = await esbuild.build({
    absWorkingDir: layout.root,
    entryPoints: [path.join(layout.root, 'bin', 'genesys-onboard.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [typeScriptAtRuntime(layout)],
  });
  fs.renameSync(temporary, bundle);
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':'));
  recordInputs(layout, [...sources, path.relative(layout.root, __filename)]);
  return bundle;
}

/**
 * An import of a file under lib/ becomes a require of that TypeScript file through tsx, relative to the
 * bundle; tsx is loaded only when such a module is first required (local/definitions.ts on a cache miss).
 */
function typeScriptAtRuntime(layout) {
  const lib = path.join(layout.root, 'lib');
  return {
    name: 'typescript-at-runtime',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace === 'typescript-at-runtime') return { path: args.path, external: true };
        const target = path.resolve(args.resolveDir, args.path);
        const relative = path.relative(lib, target);
        const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
        return inside ? { path: target, namespace: 'typescript-at-runtime' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'typescript-at-runtime' }, (args) => {
        const relative = path.relative(layout.dist, args.path).split(path.sep).join('/');
        const fromBundle = relative.startsWith('../') ? relative : `./${relative}`;
        return {
          contents: `module.exports = require('tsx/cjs/api').require(${JSON.stringify(fromBundle)}, __filename);`,
          loader: 'js',
          resolveDir: layout.root,
        };
      });
    },
  };
}

/**
 * The path of an up-to-date bundle, building it first when a source changed; undefined when it cannot be
 * built here (no esbuild, a read-only checkout, a source that does not compile): the caller then runs the
 * TypeScript sources instead.
 */
async function freshBundle(layout = REPOSITORY) {
  if (isBundleFresh(layout)) return bundleOf(layout);
  try {
    return await buildBundle(layout);
  } catch {
    return undefined;
  }
}

module.exports = { REPOSITORY, isBundleFresh, recordInputs, buildBundle, freshBundle };

if (require.main === module) {
  buildBundle().then(
    (bundle) => process.stdout.write(`built ${path.relative(process.cwd(), bundle)}\n`),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
