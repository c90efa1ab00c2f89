/**
 * Work over every task of a big cluster is done a slice at a time, with a turn of the event loop between
 * slices, so that requests and socket reads are answered meanwhile instead of waiting for the whole walk.
 */

/** Tasks handled in one slice (about a few milliseconds of work each, at any cluster size). */
export const SLICE_TASKS = 5_000;

/** Resolves on the next turn of the event loop, once what is waiting (I/O, timers) has run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
