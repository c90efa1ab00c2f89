/**
 * `npm run bench [-- name ...] [--smoke]`: runs the named benchmarks (all when none is named) and prints each
 * result as a Markdown table headed by the exact command that reproduces it. `--smoke` runs a small, quick
 * version (for CI), whose figures mean nothing except that the benchmark still works.
 */
import os from 'node:os';
import type { Bench } from './bench-table';
import { formatTable } from './bench-table';
import { benches } from './registry';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const names = args.filter((arg) => !arg.startsWith('--'));
const unknown = names.filter((name) => !benches.some((bench) => bench.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
const selected: Bench[] = names.length ? benches.filter((bench) => names.includes(bench.name)) : benches;

const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
let failed = false;
for (const bench of selected) {
  // The flags too (`--scenario=gigantic`, `--window=30`...): the command must reproduce this very run.
  const flags = args.filter((arg) => arg.startsWith('--'));
  const command = `npm run bench -- ${[bench.name, ...flags].join(' ')}`;
  process.stdout.write(`\n$ ${command}\n(${machine}, ${new Date().toISOString()})\n`);
  try {
    const result = await bench.run({ smoke });
    process.stdout.write(`${formatTable(result)}\n`);
  } catch (error) {
    failed = true;
    process.stdout.write(`benchmark ${bench.name} failed: ${(error as Error).stack ?? String(error)}\n`);
  }
}
process.exit(failed ? 1 : 0);
