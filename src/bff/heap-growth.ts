/**
 * How far V8 lets the heap grow past what its last full collection kept before it collects again. Left to
 * itself, on a machine with a large heap limit, V8 picks a factor of up to 4, and mesoscope's resident memory
 * follows that high-water mark, not what is live: at `gigantic` (585,000 tasks) about 940 MB were live after
 * the first snapshot, and the heap grew to 2 GB before the next full collection. A 20 % margin costs more
 * frequent full collections (each marks what is live, mostly on a second thread) and keeps RSS near the live
 * heap. An operator's own `--heap-growing-percent` on node's command line is left alone (node refuses V8 flags
 * in NODE_OPTIONS, so only its command line can give one).
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

const OWN_FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** Sets V8's heap growth to {@link HEAP_GROWING_PERCENT} unless node was given one; says whether it did. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => OWN_FLAG.test(arg))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
