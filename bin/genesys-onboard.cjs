#!/usr/bin/env node
// The genesys-onboard command: runs the TypeScript CLI through tsx, so a checkout needs no build step.
require('tsx/cjs');
require('./genesys-onboard.ts');
