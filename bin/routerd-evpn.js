#!/usr/bin/env node
// Entry point for the daemon: the compiled JavaScript in dist/ (`npm run build`).
import { runEntry } from './entry.js';

await runEntry('daemon/main');
