#!/usr/bin/env node
// Entry point for the daemon: TypeScript sources run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/daemon/main.ts');
