#!/usr/bin/env node
// evpnctl launcher: registers tsx so the TypeScript sources run as-is, then
// hands over to the CLI. Paths resolve from this file, not from the cwd.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
