/** Shared by the Marathon API tests: a local cluster with its Marathon, and plain HTTP calls to it. */
import { startCluster } from '../index';
import type { LocalCluster, LocalClusterOptions } from '../index';
import { eventually } from '../test-helpers';

/** Test-side JSON: loosely typed on purpose, the tests assert its shape. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FAST = {
  heartbeatIntervalSeconds: 1,
  allocationIntervalMs: 100,
  statusUpdates: { retryMinMs: 300, retryMaxMs: 1200 },
};

export async function startMarathonCluster(
  options: LocalClusterOptions = {},
): Promise<LocalCluster & { marathonUrl: string }> {
  const cluster = await startCluster({
    scenario: 'empty',
    agents: 3,
    schedulerApi: FAST,
    marathon: { port: 0 },
    ...options,
  });
  if (!cluster.marathonUrl) throw new Error('no Marathon');
  return cluster as LocalCluster & { marathonUrl: string };
}

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
  text: string;
}

export async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}

/** Waits until the app has `count` running (and, with health checks, healthy) tasks and no deployment. */
export function settled(base: string, appId: string, count: number, timeoutMs = 20_000): Promise<Json> {
  return eventually(async () => {
    const { body } = await call(base, 'GET', `/v2/apps${appId}`);
    const app = body.app as Json | undefined;
    if (!app) return undefined;
    const healthy = app.healthChecks.length === 0 || app.tasksHealthy === count;
    return app.tasksRunning === count && app.deployments.length === 0 && healthy ? app : undefined;
  }, timeoutMs);
}

export function noDeployments(base: string, timeoutMs = 20_000): Promise<true> {
  return eventually(async () => {
    const { body } = await call(base, 'GET', '/v2/deployments');
    return Array.isArray(body) && body.length === 0 ? true : undefined;
  }, timeoutMs);
}
