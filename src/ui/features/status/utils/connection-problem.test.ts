import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../../bff/schemas/views';
import { connectionProblem } from './connection-problem';

const status = (patch: Partial<StatusView> = {}): StatusView => ({
  mode: 'local',
  masters: ['http://127.0.0.1:5051'],
  leader: { url: 'http://127.0.0.1:5051', hostname: 'localhost', port: 5051, id: 'm1' },
  leaderChangedAt: null,
  previousLeader: null,
  discovery: { mode: 'masters', degraded: null },
  lastErrorKind: null,
  connected: true,
  lastSuccessAt: 1_000,
  lastAttemptAt: 1_000,
  lastError: null,
  pollIntervalMs: 1_000,
  version: '0.1.0',
  ...patch,
});

describe('connectionProblem', () => {
  it('is null while everything is fine or still loading', () => {
    expect(connectionProblem({ data: status(), isError: false, dataUpdatedAt: 5 })).toBeNull();
    expect(connectionProblem({ data: undefined, isError: false, dataUpdatedAt: 0 })).toBeNull();
  });

  it('reports the leading master as unreachable with its last error and last success', () => {
    const problem = connectionProblem({
      data: status({ connected: false, lastError: 'connection refused', lastSuccessAt: 42 }),
      isError: false,
      dataUpdatedAt: 50,
    });
    expect(problem).toEqual({
      kind: 'master-unreachable',
      lastError: 'connection refused',
      lastSuccessAt: 42,
    });
  });

  it('reports the mesoscope server as unreachable when /api/status fails, even with old data', () => {
    expect(connectionProblem({ data: status(), isError: true, dataUpdatedAt: 99 })).toEqual({
      kind: 'server-unreachable',
      dataFrom: 99,
    });
    expect(connectionProblem({ data: undefined, isError: true, dataUpdatedAt: 0 })).toEqual({
      kind: 'server-unreachable',
      dataFrom: null,
    });
  });

  it('tells refused credentials apart from an unreachable master', () => {
    const problem = connectionProblem({
      data: status({
        connected: false,
        lastError: "Mesos refused mesoscope's credentials (HTTP 401)",
        lastErrorKind: 'unauthorized',
        lastSuccessAt: null,
      }),
      isError: false,
      dataUpdatedAt: 5,
    });
    expect(problem).toEqual({
      kind: 'unauthorized',
      lastError: "Mesos refused mesoscope's credentials (HTTP 401)",
      lastSuccessAt: null,
    });
  });
});
