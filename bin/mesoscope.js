#!/usr/bin/env node
// `mesoscope` from a checkout: the CLI is TypeScript, run through tsx as `npm start` runs the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
