import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../../bff/schemas/views';
import { wallFreshness } from './freshness';

const NOW = 1_700_000_000_000;
const status = (extra: Partial<StatusView> = {}): StatusView => ({
  mode: 'local',
  masters: ['http://m1:5050'],
  leader: null,
  leaderChangedAt: null,
  previousLeader: null,
  discovery: { mode: 'masters', degraded: null },
  lastErrorKind: null,
  connected: true,
  lastSuccessAt: NOW - 1_000,
  lastAttemptAt: NOW - 1_000,
  lastError: null,
  pollIntervalMs: 2_000,
  version: 'test',
  ...extra,
});

describe('wallFreshness', () => {
  it('is live while the data is recent', () => {
    expect(
      wallFreshness({
        status: status(),
        statusFailed: false,
        dataAt: NOW - 3_000,
        now: NOW,
        refreshMs: 5_000,
      }),
    ).toEqual({ state: 'live', since: NOW - 3_000 });
  });

  it('is stale since the data on screen when mesoscope itself cannot be reached', () => {
    expect(
      wallFreshness({
        status: status(),
        statusFailed: true,
        dataAt: NOW - 60_000,
        now: NOW,
        refreshMs: 5_000,
      }),
    ).toEqual({ state: 'stale', since: NOW - 60_000, reason: 'mesoscope server unreachable' });
  });

  it('is stale since the last good poll when the master cannot be reached', () => {
    const down = status({ connected: false, lastSuccessAt: NOW - 90_000, lastError: 'connection refused' });
    expect(
      wallFreshness({ status: down, statusFailed: false, dataAt: NOW - 91_000, now: NOW, refreshMs: 5_000 }),
    ).toEqual({ state: 'stale', since: NOW - 90_000, reason: 'master unreachable: connection refused' });
  });

  it('is stale when data stops coming although nothing reports an error', () => {
    const result = wallFreshness({
      status: status(),
      statusFailed: false,
      dataAt: NOW - 60_000,
      now: NOW,
      refreshMs: 5_000,
    });
    expect(result).toEqual({ state: 'stale', since: NOW - 60_000, reason: 'no fresh data' });
  });

  it('waits for the first data', () => {
    const first = status({ connected: false, lastAttemptAt: null, lastSuccessAt: null });
    expect(
      wallFreshness({ status: first, statusFailed: false, dataAt: null, now: NOW, refreshMs: 5_000 }).state,
    ).toBe('waiting');
  });
});
