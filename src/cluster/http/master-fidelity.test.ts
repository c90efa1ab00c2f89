import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { getJson } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';

type Json = Record<string, unknown>;

async function v1(masterUrl: string, call: Json, path = '/api/v1'): Promise<Response> {
  return fetch(`${masterUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(call),
  });
}

async function v1Json<T = Json>(masterUrl: string, call: Json): Promise<T> {
  const res = await v1(masterUrl, call);
  if (!res.ok) throw new Error(`${String(call.type)} -> ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('a master answers as Mesos 1.11 does', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'demo' });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('resolves paths as libprocess does: a trailing / or extra segments reach the longest endpoint', async () => {
    const frameworks = await getJson<Json>(`${cluster.masterUrl}/master/frameworks`);
    const slashed = await getJson<Json>(`${cluster.masterUrl}/master/frameworks/`);
    expect(Object.keys(slashed)).toEqual(Object.keys(frameworks));
    const nested = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state/foo/bar`);
    expect(nested.slaves).toHaveLength(3);
    expect((await fetch(`${cluster.masterUrl}/state/`)).status).toBe(200);
    expect((await fetch(`${cluster.masterUrl}/master/slaves//`)).status).toBe(200);
    expect((await fetch(`${cluster.masterUrl}/master/nothing-here`)).status).toBe(404);
    expect((await fetch(`${cluster.masterUrl}/master/`)).status).toBe(404);
  });

  it('serves the v1 operator API at /master/api/v1 too', async () => {
    const res = await v1(cluster.masterUrl, { type: 'GET_HEALTH' }, '/master/api/v1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } });
  });

  it('names v1 enums as the 1.11 v1 protos do', async () => {
    const master = await v1Json<{ get_master: { master_info: { capabilities: { type: string }[] } } }>(
      cluster.masterUrl,
      { type: 'GET_MASTER' },
    );
    expect(master.get_master.master_info.capabilities.map((c) => c.type)).toEqual([
      'AGENT_UPDATE',
      'AGENT_DRAINING',
    ]);
    // The v0 MasterInfo of 1.11 does have QUOTA_V2.
    const state = await getJson<{ capabilities: string[] }>(`${cluster.masterUrl}/master/state`);
    expect(state.capabilities).toContain('QUOTA_V2');
  });

  it('lists in GET_ROLES the roles and weights of /master/roles and /master/weights', async () => {
    const roles = await getJson<{ roles: { name: string; weight: number; frameworks: string[] }[] }>(
      `${cluster.masterUrl}/master/roles`,
    );
    const weights = await getJson<{ role: string; weight: number }[]>(`${cluster.masterUrl}/master/weights`);
    const v1Roles = await v1Json<{
      get_roles: {
        roles: { name: string; weight: number; frameworks?: { value: string }[]; resources?: Json[] }[];
      };
    }>(cluster.masterUrl, { type: 'GET_ROLES' });
    expect(v1Roles.get_roles.roles.map((r) => r.name)).toEqual(roles.roles.map((r) => r.name));
    expect(v1Roles.get_roles.roles.map((r) => r.weight)).toEqual(roles.roles.map((r) => r.weight));
    for (const { role, weight } of weights) {
      expect(v1Roles.get_roles.roles.find((r) => r.name === role)?.weight).toBe(weight);
    }
    expect(v1Roles.get_roles.roles.find((r) => r.name === 'marathon')?.weight).toBe(2);
    for (const role of v1Roles.get_roles.roles) {
      const v0 = roles.roles.find((r) => r.name === role.name);
      expect((role.frameworks ?? []).map((f) => f.value)).toEqual(v0?.frameworks);
      // Plain scalars: no ports, no allocation_info (Mesos's RoleResourceBreakdown quantities).
      for (const resource of role.resources ?? []) {
        expect(Object.keys(resource).sort()).toEqual(['name', 'scalar', 'type']);
      }
    }
  });

  it('answers the read calls that were 501: weights, quota, maintenance, operations, logging level', async () => {
    const weights = await v1Json<{ get_weights: { weight_infos: Json[] } }>(cluster.masterUrl, {
      type: 'GET_WEIGHTS',
    });
    const v0Weights = await getJson<{ role: string; weight: number }[]>(
      `${cluster.masterUrl}/master/weights`,
    );
    expect(weights.get_weights.weight_infos).toEqual(v0Weights.map(({ role, weight }) => ({ weight, role })));

    const quota = await v1Json<{
      get_quota: { status: { configs: { role: string; guarantees: Json; limits: Json }[]; infos: Json[] } };
    }>(cluster.masterUrl, { type: 'GET_QUOTA' });
    expect(quota.get_quota.status.configs.find((c) => c.role === 'marathon')).toEqual({
      role: 'marathon',
      guarantees: { cpus: { value: 1 }, mem: { value: 512 } },
      limits: { cpus: { value: 4 }, mem: { value: 4096 }, disk: { value: 20000 } },
    });
    expect(quota.get_quota.status.infos).toContainEqual({
      role: 'marathon',
      guarantee: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 512 } },
      ],
    });

    const status = await v1Json<{ get_maintenance_status: { status: Json } }>(cluster.masterUrl, {
      type: 'GET_MAINTENANCE_STATUS',
    });
    expect(status.get_maintenance_status.status).toEqual(
      await getJson(`${cluster.masterUrl}/master/maintenance/status`),
    );
    const schedule = await v1Json<{ get_maintenance_schedule: { schedule: Json } }>(cluster.masterUrl, {
      type: 'GET_MAINTENANCE_SCHEDULE',
    });
    expect(schedule.get_maintenance_schedule.schedule).toEqual(
      await getJson(`${cluster.masterUrl}/master/maintenance/schedule`),
    );
    expect(await v1Json(cluster.masterUrl, { type: 'GET_OPERATIONS' })).toEqual({
      type: 'GET_OPERATIONS',
      get_operations: {},
    });
    expect(await v1Json(cluster.masterUrl, { type: 'GET_LOGGING_LEVEL' })).toEqual({
      type: 'GET_LOGGING_LEVEL',
      get_logging_level: { level: 0 },
    });
  });

  it('reads the master log with READ_FILE and LIST_FILES, and refuses bad calls', async () => {
    const read = await v1Json<{ read_file: { size: number; data: string } }>(cluster.masterUrl, {
      type: 'READ_FILE',
      read_file: { path: '/master/log', offset: 0 },
    });
    expect(read.read_file.size).toBeGreaterThan(0);
    expect(Buffer.from(read.read_file.data, 'base64').toString('utf8')).toContain('Version: 1.11.0');
    const five = await v1Json<{ read_file: { size: number; data: string } }>(cluster.masterUrl, {
      type: 'READ_FILE',
      read_file: { path: '/master/log', offset: 1, length: 5 },
    });
    expect(Buffer.from(five.read_file.data, 'base64')).toHaveLength(5);
    expect(five.read_file.size).toBeGreaterThanOrEqual(read.read_file.size);

    const missingOffset = await v1(cluster.masterUrl, {
      type: 'READ_FILE',
      read_file: { path: '/master/log' },
    });
    expect(missingOffset.status).toBe(400);
    expect(await missingOffset.text()).toBe(
      'Failed to parse body into Call protobuf: Missing required fields: read_file.offset',
    );
    const nowhere = await v1(cluster.masterUrl, {
      type: 'READ_FILE',
      read_file: { path: '/nowhere', offset: 0 },
    });
    expect(nowhere.status).toBe(404);
    // The log is a file: it lists nothing, like /files/browse.
    expect(
      await v1Json(cluster.masterUrl, { type: 'LIST_FILES', list_files: { path: '/master/log' } }),
    ).toEqual({
      type: 'LIST_FILES',
      list_files: {},
    });
    expect(await getJson(`${cluster.masterUrl}/files/browse?path=/master/log`)).toEqual([]);
    const unlisted = await v1(cluster.masterUrl, { type: 'LIST_FILES', list_files: { path: '/elsewhere' } });
    expect(unlisted.status).toBe(404);
    expect((await v1(cluster.masterUrl, { type: 'LIST_FILES' })).status).toBe(400);
  });
});

describe('every cluster start', () => {
  it('has its own master and framework ids, while the seeded content stays the same', async () => {
    const starts: { masterId: string; frameworkId: string; taskId: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const cluster = await startCluster({ scenario: 'empty', agents: 1, seed: 7 });
      try {
        const task = await cluster.control.launchTask({ name: 'same', cmd: 'true' });
        const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
        starts.push({ masterId: state.id, frameworkId: task.frameworkId, taskId: task.taskId });
      } finally {
        await cluster.close();
      }
    }
    const [first, second] = starts;
    expect(first?.masterId).not.toBe(second?.masterId);
    expect(first?.frameworkId).not.toBe(second?.frameworkId);
    expect(first?.frameworkId.startsWith(first.masterId)).toBe(true);
    expect(first?.taskId).toBe(second?.taskId);
  });
});

describe('a standby master and authentication', () => {
  let cluster: LocalCluster;
  const credentials = { principal: 'ops', secret: 's3cret' };
  const authorization = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 1, masters: 2, authenticate: credentials });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("serves every master/* key on a standby's /metrics/snapshot", async () => {
    const get = async (url: string) =>
      (await (await fetch(`${url}/metrics/snapshot`, { headers: { authorization } })).json()) as Record<
        string,
        number
      >;
    const leader = await get(cluster.masterUrls[0]!);
    const standby = await get(cluster.masterUrls[1]!);
    const masterKeys = (metrics: Record<string, number>) =>
      Object.keys(metrics)
        .filter((key) => key.startsWith('master/'))
        .sort();
    expect(masterKeys(standby)).toEqual(masterKeys(leader));
    expect(standby['master/elected']).toBe(0);
    expect(standby['master/slaves_active']).toBe(0);
    expect(leader['master/slaves_active']).toBe(1);
    expect(standby['system/cpus_total']).toBeGreaterThan(0);
  });

  it('asks for credentials on writes, like on reads; a standby redirects them to the leader', async () => {
    const teardown = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/master/teardown`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'frameworkId=nope',
        redirect: 'manual',
      });
    const refused = await teardown(cluster.masterUrl);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="mesos"');
    const allowed = await teardown(cluster.masterUrl, { authorization });
    expect(allowed.status).toBe(400);
    expect(await allowed.text()).toBe('No framework found with specified ID');
    const redirected = await teardown(cluster.masterUrls[1]!, { authorization });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get('location')).toBe(`//${new URL(cluster.masterUrl).host}/master/teardown`);
  });
});
