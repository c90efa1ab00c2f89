// Test-only: view payloads as the BFF serves them.
import type { StatusView } from '../../../bff/schemas/views';
import type { HistoryView, WallView } from '../../../bff/schemas/wall';

export function statusView(extra: Partial<StatusView> = {}): StatusView {
  const now = Date.now();
  return {
    mode: 'remote',
    masters: ['http://m1:5050'],
    leader: { url: 'http://m1:5050', hostname: 'm1', port: 5050, id: 'm1' },
    leaderChangedAt: null,
    previousLeader: null,
    discovery: { mode: 'masters', degraded: null },
    lastErrorKind: null,
    connected: true,
    lastSuccessAt: now,
    lastAttemptAt: now,
    lastError: null,
    pollIntervalMs: 1_000,
    version: 'test',
    buildId: 'build-a',
    ...extra,
  };
}

export function wallView(): WallView {
  return {
    snapshotAt: Date.now(),
    cluster: { name: 'dc1-production', leader: 'm1:5050', version: '1.11.0', electedTime: null },
    agents: { total: 3, active: 1, unreachable: 1, draining: 1, drained: 0, deactivated: 0, unlisted: 0 },
    frameworks: { active: 2, inactive: 0 },
    tasks: {
      staging: 0,
      starting: 1,
      running: 42,
      unreachable: 0,
      killing: 0,
      finished: 3,
      killed: 0,
      failed: 2,
      lost: 0,
    },
    resources: {
      total: { cpus: 96, gpus: 0, mem: 393_216, disk: 3_000_000 },
      allocated: { cpus: 48, gpus: 0, mem: 98_304, disk: 0 },
    },
    agentCells: [
      { id: 'S0', hostname: 'agent-1', status: 'active', share: 0.5 },
      { id: 'S1', hostname: 'agent-2', status: 'unreachable', share: 0 },
      { id: 'S2', hostname: 'agent-3', status: 'draining', share: 0.2 },
    ],
    topFrameworks: [{ id: 'F0', name: 'marathon', share: 0.5, dominant: 'cpus', activeTasks: 42 }],
    recentFailures: { count: 20, minutes: 15 },
    failedTasks: [
      {
        count: 6,
        id: 'T1',
        name: 'nightly-report',
        frameworkName: 'chronos',
        agentHostname: 'agent-1',
        state: 'TASK_FAILED',
        finishTime: Date.now() / 1000 - 120,
        reason: null,
        message: '<script>alert(1)</script> exited with status 1',
      },
    ],
  };
}

export function historyView(): HistoryView {
  const to = Math.ceil(Date.now() / 10_000) * 10_000;
  const from = to - 3_600_000;
  return {
    window: '1h',
    from,
    to,
    stepMs: 10_000,
    points: Array.from({ length: 360 }, (_, i) => ({
      t: from + i * 10_000,
      cpusTotal: i < 300 ? null : 96,
      cpusAllocated: i < 300 ? null : 40 + (i % 8),
      memTotal: i < 300 ? null : 393_216,
      memAllocated: i < 300 ? null : 98_304,
      diskTotal: i < 300 ? null : 3_000_000,
      diskAllocated: i < 300 ? null : 0,
      gpusTotal: i < 300 ? null : 0,
      gpusAllocated: i < 300 ? null : 0,
      running: i < 300 ? null : 42,
    })),
    failureStepMs: 60_000,
    failures: Array.from({ length: 60 }, (_, i) => ({
      t: from + i * 60_000,
      perMinute: i < 50 ? null : i % 3,
    })),
    samples: 120,
    capacity: 17_280,
    persistence: 'disk',
    latestAt: to - 10_000,
  };
}

/** Routes fetch() by path to JSON bodies; `down` makes every request fail as if the server were gone. */
export function fakeServer(bodies: Record<string, () => unknown>) {
  const state = { down: false, requests: [] as string[] };
  const fetchImpl = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    state.requests.push(url.pathname);
    if (state.down) throw new TypeError('Failed to fetch');
    const body = bodies[url.pathname];
    if (!body) return new Response('{"error":"Not Found","message":"no","statusCode":404}', { status: 404 });
    return new Response(JSON.stringify(body()), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { state, fetchImpl };
}
