#!/usr/bin/env node
// The genesys-onboard command: the prebuilt bundle of the CLI (dist/), rebuilt first when one of its sources
// changed (npm runs no install scripts here, so a fresh clone builds it on its first run). Where it cannot be
// built (no esbuild, a read-only checkout) the TypeScript sources run through tsx instead.
const { freshBundle } = require('../scripts/build-cli.cjs');

freshBundle().then((bundle) => {
  if (bundle) {
    require(bundle);
  } else {
    require('tsx/cjs');
    require('./genesys-onboard.ts');
  }
});
