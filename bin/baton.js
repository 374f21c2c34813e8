#!/usr/bin/env node
// The `baton` command: the compiled CLI (run `npm run build` first, or `npm start`, which builds).
require('../dist/apps/cli/src/main.js');
