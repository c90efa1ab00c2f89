import { describe, expect, it } from 'vitest';
import { STATUS_POLL_MS, statusPollDelayMs } from './polling';

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
