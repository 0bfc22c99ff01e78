#!/usr/bin/env node
// evpnctl launcher: the compiled CLI in dist/ (`npm run build`). Paths resolve
// from this file, not from the cwd.
import { runEntry } from './entry.js';

await runEntry('cli/main');
