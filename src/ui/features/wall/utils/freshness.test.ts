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
const at = (view: StatusView, dataAt: number | null, statusFailed = false) =>
  wallFreshness({ status: view, statusFailed, dataAt, now: NOW, refreshMs: 5_000 });

describe('wallFreshness', () => {
  it('is live while the data is recent', () => {
    expect(at(status({ lastSuccessAt: NOW - 3_000 }), NOW - 3_000)).toEqual({
      state: 'live',
      since: NOW - 3_000,
    });
  });

  it('is live when an unchanged snapshot was confirmed recently (a quiet cluster, followed by its events)', () => {
    expect(at(status(), NOW - 600_000)).toEqual({ state: 'live', since: NOW - 1_000 });
  });

  it('is stale since the data was last known current when mesoscope itself cannot be reached', () => {
    expect(at(status({ lastSuccessAt: NOW - 50_000 }), NOW - 60_000, true)).toEqual({
      state: 'stale',
      since: NOW - 50_000,
      reason: 'mesoscope server unreachable',
    });
  });

  it('is stale since the last good poll when the master cannot be reached', () => {
    const down = status({ connected: false, lastSuccessAt: NOW - 90_000, lastError: 'connection refused' });
    expect(at(down, NOW - 91_000)).toEqual({
      state: 'stale',
      since: NOW - 90_000,
      reason: 'master unreachable: connection refused',
    });
  });

  it('is stale when data stops coming although nothing reports an error', () => {
    expect(at(status({ lastSuccessAt: NOW - 60_000 }), NOW - 60_000)).toEqual({
      state: 'stale',
      since: NOW - 60_000,
      reason: 'no fresh data',
    });
  });

  it('waits for the first data', () => {
    const first = status({ connected: false, lastAttemptAt: null, lastSuccessAt: null });
    expect(at(first, null).state).toBe('waiting');
  });
});
