/**
 * How V8 grows and shrinks mesoscope's heap.
 *
 * Growth: how far V8 lets the heap grow past what its last full collection kept before it collects again.
 * Left to itself, on a machine with a large heap limit, V8 picks a factor of up to 4, and mesoscope's resident
 * memory follows that high-water mark, not what is live: at `gigantic` (585,000 tasks) about 940 MB were live
 * after the first snapshot, and the heap grew to 2 GB before the next full collection. A 20 % margin costs more
 * frequent full collections (each marks what is live, mostly on a second thread) and keeps RSS near the live
 * heap.
 *
 * Shrinking: after a full collection, once allocation slows, V8's memory reducer collects again to give memory
 * back, up to three times. At `massive` the first of those returned about 60 MB of committed memory; the second
 * and third freed about 1 MB of a 270 MB heap each, marking all of it every time: more than a third of a quiet
 * minute's CPU. Only the first is kept.
 *
 * An operator's own flag on node's command line is left alone (node refuses V8 flags in NODE_OPTIONS, so only
 * its command line can give one).
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

const TUNED: readonly { flag: string; given: RegExp }[] = [
  { flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}`, given: /^--heap[-_]growing[-_]percent(=|$)/ },
  { flag: '--memory-reducer-single-gc', given: /^--(no[-_])?memory[-_]reducer([-_]single[-_]gc)?(=|$)/ },
];

/** Sets the V8 flags above that node was not given; returns those it set. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): string[] {
  const set = TUNED.filter(({ given }) => !execArgv.some((arg) => given.test(arg))).map(({ flag }) => flag);
  for (const flag of set) v8.setFlagsFromString(flag);
  return set;
}
