#!/usr/bin/env node
// The `proofdesk` command. Runs the compiled CLI from dist/ (built by `npm run build`, which
// `npm ci` runs through the prepare script).
import { main } from '../dist/electron/cli/main.js';

await main();
