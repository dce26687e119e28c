#!/usr/bin/env node
// Entry point for `wellflow` and `npm start`. The TypeScript sources run through tsx's CommonJS hook so
// there is one code path in development and in the container image (no separate compiled copy to drift).
require('tsx/cjs');
require('../src/cli.ts');
