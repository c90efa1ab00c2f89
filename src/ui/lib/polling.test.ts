import { notifyManager, QueryObserver } from '@tanstack/react-query';
import type { QueryObserverResult } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  msToBeat,
  onPollRoundLanded,
  STATUS_POLL_MS,
  statusPollDelayMs,
  VIEW_POLL,
  VIEW_POLL_MS,
} from './polling';
import { createQueryClient } from './query-client';

describe('statusPollDelayMs', () => {
  it('asks just after the next read when reads come every 2 s, as they do from 1,000 agents', () => {
    expect(statusPollDelayMs({ nextReadInMs: 1_850, pollIntervalMs: 2_000 })).toBe(2_000);
    expect(statusPollDelayMs({ nextReadInMs: 300, pollIntervalMs: 2_000 })).toBe(450);
  });

  it('skips to the last read within the plain poll when reads come more often, so it asks about as often', () => {
    expect(statusPollDelayMs({ nextReadInMs: 300, pollIntervalMs: 1_000 })).toBe(1_450);
    expect(statusPollDelayMs({ nextReadInMs: 900, pollIntervalMs: 1_000 })).toBe(2_050);
  });

  it('asks again soon while a read is under way, to see what it publishes', () => {
    const delay = statusPollDelayMs({ nextReadInMs: 0, pollIntervalMs: 2_000 });
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThan(STATUS_POLL_MS);
  });

  it('keeps the plain poll when reads are further off, not scheduled, or not said (an older server)', () => {
    expect(statusPollDelayMs({ nextReadInMs: 25_000, pollIntervalMs: 30_000 })).toBe(STATUS_POLL_MS);
    expect(statusPollDelayMs({ nextReadInMs: null, pollIntervalMs: 2_000 })).toBe(STATUS_POLL_MS);
    expect(statusPollDelayMs({ pollIntervalMs: 2_000 })).toBe(STATUS_POLL_MS);
    expect(statusPollDelayMs(undefined)).toBe(STATUS_POLL_MS);
  });
});

describe('msToBeat', () => {
  it('waits for the next beat of the page, whatever the phase', () => {
    expect(msToBeat(10_000, 10_000, 700)).toBe(2_700);
    expect(msToBeat(10_100, 10_100, 100)).toBe(2_000);
  });

  it('waits for the first beat at or after `at`', () => {
    expect(msToBeat(10_000, 14_000, 0)).toBe(5_000);
    expect(msToBeat(10_000, 15_000, 0)).toBe(5_000);
  });

  it('never answers a timer that just ran with the beat it ran for', () => {
    expect(msToBeat(11_999, 11_999, 0)).toBe(1 + VIEW_POLL_MS);
  });
});

describe('poll rounds', () => {
  beforeEach(() =>
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }),
  );
  afterEach(() => vi.useRealTimers());

  it("hands a beat's answers to their observers together, with a tick of the clock, once the slowest is in", async () => {
    const client = createQueryClient();
    const answer = (key: string, ms: number) => ({
      queryKey: [key],
      queryFn: () => new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), ms)),
      refetchInterval: VIEW_POLL,
    });
    const seen: string[] = [];
    const observers = [answer('fast', 10), answer('slow', 200)].map((options) => {
      const observer = new QueryObserver(client, options);
      let answered = 0;
      // As React's useQuery subscribes: through the notify manager.
      observer.subscribe(
        notifyManager.batchCalls((result: QueryObserverResult<number>) => {
          if (result.dataUpdatedAt === answered) return;
          answered = result.dataUpdatedAt;
          seen.push(`${options.queryKey[0]}@${Date.now()}`);
        }),
      );
      return observer;
    });
    const stop = onPollRoundLanded(() => seen.push(`tick@${Date.now()}`));
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS * 2);
    seen.length = 0;
    // The next beat: both are asked at once; the fast answer waits for the slow one.
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS);
    expect(seen).toHaveLength(3);
    const times = new Set(seen.map((entry) => entry.split('@')[1]));
    expect(times.size).toBe(1);
    expect(seen.map((entry) => entry.split('@')[0])).toEqual(['fast', 'slow', 'tick']);
    stop();
    observers.forEach((observer) => observer.destroy());
    client.clear();
  });
});
