#!/usr/bin/env node
// `ingest`: the operators' command line (src/cli). TypeScript is loaded through tsx, which the project installs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/node-main.ts');
