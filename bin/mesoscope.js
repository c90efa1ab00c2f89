#!/usr/bin/env node
// `mesoscope` from a checkout: the built CLI (`npm run build`), on node alone. A build that is missing or older
// than the sources is refused as `mesoscope up` refuses it, rather than run as code that is not the checkout's.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = new URL('../dist/cli/built-server.js', import.meta.url);
const problem = existsSync(check)
  ? (await import(check.href)).builtServerProblem(root)
  : "dist/cli/main.js is not built: run 'npm run build'";
if (problem) {
  process.stderr.write(`mesoscope: ${problem}\n`);
  process.exit(1);
}
await import('../dist/cli/main.js');
