import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../testing/eventually';
import { PollLoop } from './poll-loop';

/** A read that ends when the test says so, counting how many were started. */
function gatedReads(): { read: () => Promise<void>; started: () => number; finish: () => void } {
  let started = 0;
  let release: (() => void) | null = null;
  return {
    read: () => {
      started += 1;
      return new Promise<void>((resolve) => (release = resolve));
    },
    started: () => started,
    finish: () => {
      release?.();
      release = null;
    },
  };
}

const loops: PollLoop[] = [];
afterEach(() => loops.splice(0).forEach((loop) => loop.stop()));

function loopOf(read: () => Promise<void>, intervalMs = 60_000): PollLoop {
  const loop = new PollLoop(read, () => intervalMs);
  loops.push(loop);
  return loop;
}

describe('PollLoop', () => {
  it('joins the read under way instead of starting another', async () => {
    const reads = gatedReads();
    const loop = loopOf(reads.read);
    const first = loop.once();
    const second = loop.once();
    expect(second).toBe(first);
    await eventually(() => (reads.started() === 1 ? true : undefined));
    reads.finish();
    await first;
    expect(reads.started()).toBe(1);
    const third = loop.once();
    expect(third).not.toBe(first);
    await eventually(() => (reads.started() === 2 ? true : undefined));
    reads.finish();
    await third;
  });

  it('counts a read as under way from the call on, even when it asks for another before its first await', async () => {
    let reads = 0;
    const loop = loopOf(async () => {
      reads += 1;
      // A discovery event during the read's synchronous start: it must join this read, not start one.
      loop.soon();
      void loop.once();
      await Promise.resolve();
    });
    loop.start();
    await eventually(() => (reads >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toBe(1);
  });

  it('reads once more after the read under way when a change comes during it, and only when asked to', async () => {
    const reads = gatedReads();
    const loop = loopOf(reads.read);
    loop.start();
    await eventually(() => (reads.started() === 1 ? true : undefined));
    loop.soon();
    reads.finish();
    await loop.once();
    expect(reads.started()).toBe(1);

    loop.soon();
    await eventually(() => (reads.started() === 2 ? true : undefined));
    loop.soon({ rereadIfBusy: true });
    loop.soon({ rereadIfBusy: true });
    reads.finish();
    await eventually(() => (reads.started() === 3 ? true : undefined));
    reads.finish();
    await loop.once();
    expect(reads.started()).toBe(3);
  });

  it('reads again after the interval until stopped, and not soon after stopping', async () => {
    let reads = 0;
    const loop = loopOf(async () => {
      reads += 1;
    }, 5);
    loop.start();
    await eventually(() => (reads >= 3 ? true : undefined));
    loop.stop();
    loop.soon();
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBe(after);
  });

  it('goes on reading after a read that throws', async () => {
    let reads = 0;
    const loop = loopOf(async () => {
      reads += 1;
      if (reads === 1) throw new Error('a listener failed');
    }, 5);
    loop.start();
    await eventually(() => (reads >= 3 ? true : undefined));
    expect(reads).toBeGreaterThanOrEqual(3);
  });

  it('says how long until its next read: none before it starts, 0 during a read, the interval after one', async () => {
    const reads = gatedReads();
    const loop = loopOf(reads.read, 60_000);
    expect(loop.nextReadInMs()).toBeNull();
    loop.start();
    await eventually(() => (reads.started() === 1 ? true : undefined));
    expect(loop.nextReadInMs()).toBe(0);
    reads.finish();
    await eventually(() => (loop.nextReadInMs() !== 0 ? true : undefined));
    const now = Date.now();
    const next = loop.nextReadInMs(now);
    expect(next).toBeGreaterThan(59_000);
    expect(next).toBeLessThanOrEqual(60_000);
    expect(loop.nextReadInMs(now + 30_000)).toBe((next ?? 0) - 30_000);
    loop.stop();
    expect(loop.nextReadInMs()).toBeNull();
  });
});
