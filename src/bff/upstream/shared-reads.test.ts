import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-reads';

describe('SharedReads', () => {
  it('shares one read between concurrent callers and caches it for the ttl', async () => {
    let clock = 1_000;
    let loads = 0;
    const reads = new SharedReads<number>(
      () => 100,
      10,
      () => clock,
    );
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return loads;
    };
    const [a, b] = await Promise.all([reads.read('k', load), reads.read('k', load)]);
    expect(loads).toBe(1);
    expect(a.value).toBe(1);
    expect(b.value).toBe(1);
    clock += 50;
    expect((await reads.read('k', load)).value).toBe(1);
    clock += 100;
    expect((await reads.read('k', load)).value).toBe(2);
    expect((await reads.read('other', load)).value).toBe(3);
  });

  it('keeps the last good value next to the error, and hands it to the next load', async () => {
    let clock = 0;
    const reads = new SharedReads<string>(
      () => 10,
      10,
      () => clock,
    );
    await reads.read('k', async () => 'good');
    clock = 20;
    const failed = await reads.read('k', async () => {
      throw new Error('agent down');
    });
    expect(failed.value).toBe('good');
    expect(failed.at).toBe(0);
    expect((failed.error as Error).message).toBe('agent down');
    clock = 40;
    const seen: Array<string | undefined> = [];
    const recovered = await reads.read('k', async (previous) => {
      seen.push(previous);
      return 'better';
    });
    expect(seen).toEqual(['good']);
    expect(recovered).toEqual({ value: 'better', at: 40, error: undefined });
  });
});
