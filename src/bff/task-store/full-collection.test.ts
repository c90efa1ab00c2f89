import { describe, expect, it } from 'vitest';
import { collectGarbage } from './full-collection';

describe('a full collection', () => {
  it('frees what nothing holds any more, in a process started without --expose-gc', async () => {
    const ref = (() => new WeakRef({ payload: new Array(1_000).fill(1) }))();
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});
