/**
 * The first snapshot of a big cluster read as a stream, against a fake master that sends its SUBSCRIBED slowly
 * in pieces: the agents and frameworks are served meanwhile, saying the snapshot is still loading, then the
 * whole state; a snapshot cut short, malformed or too big is an error that keeps the last good data.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../mesos';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import { MesosClient } from '../upstream/mesos-client';
import { ClusterPoller } from './cluster-poller';
import { PARTIAL_FROM_AGENTS } from './operator-source';
import { eventually } from '../../testing/eventually';
import type { OverviewView, StatusView, TaskPage } from '../schemas/views';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';
import { json, startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';

const TASKS = 400;
const FRAMEWORK = 'framework-1';
const AGENTS = ['agent-1', 'agent-2'];

const id = (value: string) => ({ value });
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

function task(i: number, state = 'TASK_RUNNING') {
  return {
    name: `sleeper-${i}`,
    task_id: id(`task-${i}`),
    framework_id: id(FRAMEWORK),
    agent_id: id(AGENTS[i % AGENTS.length] as string),
    state,
    // Escapes and multi-byte characters, so element boundaries are found in real JSON strings.
    labels: { labels: [{ key: 'note', value: `quote " bracket ] brace } ü ${i}` }] },
    resources: [scalar('cpus', 0.5), scalar('mem', 64)],
    statuses: [{ task_id: id(`task-${i}`), state, timestamp: 1_700_000_000 + i }],
  };
}

const agents = AGENTS.map((agent, i) => ({
  agent_info: { id: id(agent), hostname: `host-${i}`, port: 5051, resources: [scalar('cpus', 400)] },
  active: true,
  pid: `slave(1)@10.0.0.${i + 1}:5051`,
  total_resources: [scalar('cpus', 400)],
  allocated_resources: [scalar('cpus', 100)],
}));

const framework = {
  framework_info: { id: id(FRAMEWORK), name: 'streamer', user: 'root', roles: ['*'] },
  active: true,
  connected: true,
  allocated_resources: [scalar('cpus', 200)],
  offered_resources: [],
};

/** The SUBSCRIBED, with the agents and frameworks after the tasks, as Mesos orders GET_STATE. */
function subscribed(tasks: unknown[], withAgents: unknown[] = agents) {
  return {
    type: 'SUBSCRIBED',
    subscribed: {
      get_state: {
        get_tasks: { tasks },
        get_executors: { executors: [] },
        get_frameworks: { frameworks: [framework] },
        get_agents: { agents: withAgents },
      },
      heartbeat_interval_seconds: 15,
    },
  };
}

const answers: Record<string, unknown> = {
  GET_VERSION: { get_version: { version_info: { version: '1.11.0' } } },
  GET_MASTER: {
    get_master: {
      master_info: {
        id: 'slow-master',
        hostname: '127.0.0.1',
        port: 5050,
        address: { ip: '127.0.0.1', port: 5050 },
      },
    },
  },
  GET_FLAGS: { get_flags: { flags: [] } },
  GET_METRICS: {
    get_metrics: {
      metrics: [
        { name: 'master/tasks_running', value: TASKS },
        { name: 'master/slaves_active', value: AGENTS.length },
      ],
    },
  },
  GET_AGENTS: { get_agents: { agents } },
  GET_FRAMEWORKS: { get_frameworks: { frameworks: [framework] } },
};

/**
 * A master whose SUBSCRIBE is answered by `subscribe` (the test decides how the bytes go out, and when its
 * headers do: with the first byte), its other calls by `calls`.
 */
async function slowMaster(
  subscribe: (res: ServerResponse, attempt: number) => void,
  calls: Record<string, unknown> = answers,
): Promise<FakeUpstream> {
  let attempts = 0;
  return startFakeUpstream((req, res) => {
    if (req.url === '/master/redirect') {
      res.writeHead(307, { location: `//${req.headers.host ?? ''}` }).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const type = String((JSON.parse(body || '{}') as { type?: unknown }).type ?? '');
      if (type === 'SUBSCRIBE') {
        attempts += 1;
        // Sent with the first byte, as a master that is still taking its snapshot sends nothing.
        res.statusCode = 200;
        res.setHeader('content-type', 'application/recordio');
        subscribe(res, attempts);
        return;
      }
      const answer = calls[type];
      if (!answer) return res.writeHead(400).end();
      json({ type, ...(answer as object) })(req, res);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A gate the test opens when the master may go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const open: { close(): Promise<void> }[] = [];
/** Every error the poller reported, in order. */
const errors: string[] = [];
afterEach(async () => {
  errors.length = 0;
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function bffOver(
  master: FakeUpstream,
  maxBodyBytes?: number,
  heartbeatSeconds?: number,
  foldSliceTasks?: number,
  partialPublishMs = 0,
): Promise<TestBff> {
  const bff = await buildTestBff([master.url], 2_000, maxBodyBytes ? { maxBodyBytes } : {}, {
    stream: {
      streamFromBytes: 1024,
      backoffMs: { first: 300, max: 300 },
      heartbeatSeconds,
      // By default every poll publishes the partial state, so that one holding part of the tasks is seen.
      partialPublishMs,
      ...(foldSliceTasks ? { foldSliceTasks } : {}),
    },
  });
  bff.poller.on('poll-error', (message) => errors.push(message));
  open.push(bff, master);
  return bff;
}

async function statusOf(bff: TestBff): Promise<StatusView> {
  return (await bff.app.inject({ url: '/api/status' })).json<StatusView>();
}

describe('the first snapshot of a big cluster', () => {
  it('serves agents and frameworks while the snapshot streams in, saying it is loading, then everything', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    const half = gate();
    const rest = gate();
    const master = await slowMaster((res) => {
      void (async () => {
        // The length header and a third of the tasks, then nothing until the test has looked.
        res.write(record.subarray(0, Math.floor(record.length / 3)));
        half.open();
        await rest.wait;
        for (let at = Math.floor(record.length / 3); at < record.length; at += 997) {
          res.write(record.subarray(at, at + 997));
        }
        res.write(encodeRecord(JSON.stringify({ type: 'TASK_ADDED', task_added: { task: task(TASKS) } })));
      })();
    });
    const bff = await bffOver(master);

    const first = bff.poller.pollOnce();
    await half.wait;
    await first;
    const loading = await eventually(async () => {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      return status.loading && status.loading.tasksRead > 0 ? status : undefined;
    });
    expect(loading.connected).toBe(true);
    expect(loading.loading).toMatchObject({ tasksExpected: TASKS, bytes: expect.any(Number) as number });
    expect(loading.loading?.tasksRead).toBeLessThan(TASKS);
    expect(loading.loading?.bytesRead).toBeLessThan(loading.loading?.bytes ?? 0);
    const partial = bff.poller.snapshot?.state;
    expect(partial?.slaves.map((agent) => agent.id)).toEqual(AGENTS);
    expect(partial?.frameworks.map((f) => f.name)).toEqual(['streamer']);
    expect(partial?.frameworks[0]?.tasks).toEqual([]);
    // What the master says is allocated stands in for the tasks not read yet.
    expect(partial?.slaves[0]?.used_resources.cpus).toBe(100);
    const overview = await bff.app.inject({ url: '/api/overview' });
    expect(overview.statusCode).toBe(200);
    expect(overview.json<OverviewView>()).toBeTruthy();

    rest.open();
    const full = await eventually(async () => {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      return status.loading ? undefined : status;
    });
    expect(full.connected).toBe(true);
    const state = bff.poller.snapshot?.state;
    expect(state?.frameworks[0]?.tasks.length).toBeGreaterThanOrEqual(TASKS);
    expect(state?.frameworks[0]?.tasks.find((t) => t.id === 'task-7')?.labels).toEqual([
      { key: 'note', value: 'quote " bracket ] brace } ü 7' },
    ]);
    // 200 tasks of 0.5 CPU on the second agent, as the master said (the added task runs on the first).
    expect(state?.slaves[1]?.used_resources.cpus).toBe(100);
    // Events after SUBSCRIBED are folded in as before.
    const page = await eventually(
      async () => {
        await bff.poller.pollOnce();
        return (await bff.app.inject({ url: `/api/tasks?group=active&q=sleeper-${TASKS}` })).json<TaskPage>();
      },
      (p) => p.rows.some((row) => row.id === `task-${TASKS}`),
    );
    expect(page.rows.map((row) => row.id)).toContain(`task-${TASKS}`);
  });

  it('serves what the small calls said from the start, before a big master answers SUBSCRIBE at all', async () => {
    // A cluster big enough for its agents to be shown before its snapshot, whose master takes its time.
    const many = Array.from({ length: PARTIAL_FROM_AGENTS }, (_, i) => ({
      ...agents[0],
      agent_info: { ...agents[0]?.agent_info, id: id(`agent-${i + 1}`), hostname: `host-${i}` },
    }));
    const record = encodeRecord(JSON.stringify(subscribed([task(0)], many)));
    const snapshotTaken = gate();
    const master = await slowMaster((res) => void snapshotTaken.wait.then(() => res.write(record)), {
      ...answers,
      GET_AGENTS: { get_agents: { agents: many } },
    });
    const bff = await bffOver(master);

    await bff.poller.pollOnce();
    const early = await statusOf(bff);
    expect(early.connected).toBe(true);
    expect(early.loading).toMatchObject({ tasksRead: 0, tasksExpected: TASKS, bytes: null });
    expect(bff.poller.snapshot?.state.slaves).toHaveLength(PARTIAL_FROM_AGENTS);
    expect(bff.poller.snapshot?.state.frameworks[0]?.tasks).toEqual([]);

    snapshotTaken.open();
    const full = await eventually(async () => {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      return status.loading ? undefined : status;
    });
    expect(full.connected).toBe(true);
    expect(bff.poller.snapshot?.state.frameworks[0]?.tasks.map((t) => t.id)).toEqual(['task-0']);
    expect(errors).toEqual([]);
    expect(bff.poller.stream?.subscriptions).toBe(1);
  });

  it('falls back to polling when SUBSCRIBE is refused after the small calls were served', async () => {
    const many = Array.from({ length: PARTIAL_FROM_AGENTS }, (_, i) => ({
      ...agents[0],
      agent_info: { ...agents[0]?.agent_info, id: id(`agent-${i + 1}`), hostname: `host-${i}` },
    }));
    const refuse = gate();
    const master = await slowMaster((res) => void refuse.wait.then(() => res.writeHead(404).end()), {
      ...answers,
      GET_AGENTS: { get_agents: { agents: many } },
    });
    const bff = await bffOver(master);
    await bff.poller.pollOnce();
    expect((await statusOf(bff)).loading).not.toBeNull();

    refuse.open();
    await eventually(async () => {
      await bff.poller.pollOnce().catch(() => undefined);
      return master.requests.some((request) => request.path === '/master/state') || undefined;
    });
    expect(bff.poller.stream?.subscriptions).toBe(1);
  });

  it.each([
    ['its own', undefined, 2_000],
    ['a configured', 60_000, 60_000],
  ])(
    'comes back to a stream that failed when its backoff ends, not %s poll interval later',
    async (_which, intervalMs, interval) => {
      // The first SUBSCRIBE is cut before any answer (as a master closing an idle connection would), then fine.
      const record = encodeRecord(JSON.stringify(subscribed([task(0)])));
      const master = await slowMaster((res, attempt) => {
        if (attempt === 1) res.socket?.destroy();
        else res.write(record);
      });
      let now = 1_000_000;
      const client = new MesosClient({ timeoutMs: 2_000 });
      const discovery = new LeaderDiscovery([master.url], client);
      const poller = new ClusterPoller({
        client,
        discovery,
        now: () => now,
        stream: { backoffMs: { first: 300, max: 300 } },
        ...(intervalMs === undefined ? {} : { intervalMs }),
      });
      open.push(
        master,
        { close: () => client.close() },
        { close: async () => discovery.close() },
        { close: async () => poller.stop() },
      );
      poller.on('poll-error', (message) => errors.push(message));

      await poller.pollOnce();
      expect(errors[0]).toMatch(/closed the connection/);
      expect(poller.intervalMs).toBe(300);
      now += 200;
      expect(poller.intervalMs).toBe(100);
      now += 100;
      // Backoff over: then the next read subscribes again.
      expect(poller.intervalMs).toBe(interval);
      await poller.pollOnce();
      expect(poller.status.connected).toBe(true);
      expect(poller.stream?.subscriptions).toBe(2);
    },
  );

  it('folds a big snapshot in slices, answering requests and serving the tasks folded so far in between', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    const master = await slowMaster((res) => {
      res.write(record);
      // An event right behind the snapshot waits until the snapshot is whole, then is folded in.
      res.write(encodeRecord(JSON.stringify({ type: 'TASK_ADDED', task_added: { task: task(TASKS) } })));
    });
    const bff = await bffOver(master, undefined, undefined, 1);
    const source = bff.poller.stream;
    if (!source) throw new Error('the poller has no event stream');

    // With one task a slice, a status request and a poll get in between slices: a snapshot holds only part of
    // the tasks, and says it is loading. Folded in one step, no snapshot would ever hold part of them.
    type During = {
      status: StatusView;
      page: TaskPage;
      served: number;
      slicesBefore: number;
      slicesAfter: number;
      attributes: unknown;
    };
    let during: During | undefined;
    // Read back to back (no pause: the slices would all be folded during one).
    for (;;) {
      await bff.poller.pollOnce();
      const slicesBefore = source.foldedSlices;
      const status = await statusOf(bff);
      if (status.connected && !status.loading) break;
      const page = (await bff.app.inject({ url: '/api/tasks?group=active&limit=1' })).json<TaskPage>();
      const served = bff.poller.snapshot?.state.frameworks[0]?.tasks.length ?? 0;
      if (status.loading && served > 0 && served < TASKS) {
        during = {
          status,
          page,
          served,
          slicesBefore,
          slicesAfter: source.foldedSlices,
          attributes: bff.poller.snapshot?.state.slaves[1]?.attributes,
        };
        break;
      }
    }
    if (!during) throw new Error('no request was answered while the snapshot was folded in');
    expect(during.status.connected).toBe(true);
    expect(during.page.total).toBe(during.served);
    expect(during.slicesAfter).toBeLessThan(TASKS);

    const full = await eventually(async () => {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      return status.loading ? undefined : status;
    });
    expect(full.connected).toBe(true);
    expect(source.foldedSlices).toBe(TASKS);
    const page = await eventually(
      async () => {
        await bff.poller.pollOnce();
        return (await bff.app.inject({ url: '/api/tasks?group=active&limit=1' })).json<TaskPage>();
      },
      (p) => p.total === TASKS + 1,
    );
    expect(page.total).toBe(TASKS + 1);
    expect(bff.poller.snapshot?.state.frameworks[0]?.tasks.map((t) => t.id)).toContain(`task-${TASKS}`);
    // Allocation stays what the master said while tasks were folded, then is the tasks' own sum.
    expect(bff.poller.snapshot?.state.slaves[1]?.used_resources.cpus).toBe(100);
    // The agents the fold started from are kept once it is whole, not converted from the early reads again.
    expect(during.attributes).toBeDefined();
    expect(bff.poller.snapshot?.state.slaves[1]?.attributes).toBe(during.attributes);
  });

  it('publishes the state folded so far at most every partialPublishMs, not after every slice', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    const master = await slowMaster((res) => res.write(record));
    const bff = await bffOver(master, undefined, undefined, 1, 60_000);
    const snapshots = new Set<unknown>();
    for (;;) {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      if (status.connected && !status.loading) break;
      if (status.loading) snapshots.add(bff.poller.snapshot);
    }
    // The agents and frameworks read first, then once the snapshot's model is made: no state of each slice.
    expect(snapshots.size).toBeGreaterThanOrEqual(1);
    expect(snapshots.size).toBeLessThanOrEqual(2);
    expect(bff.poller.snapshot?.state.frameworks[0]?.tasks).toHaveLength(TASKS);
  });

  it('is an error when the connection drops mid-snapshot: the last data is kept, and it subscribes again', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    const dropped = gate();
    const master = await slowMaster((res, attempt) => {
      if (attempt === 1) {
        res.write(record.subarray(0, Math.floor(record.length / 2)));
        void dropped.wait.then(() => res.socket?.destroy());
        return;
      }
      res.write(record);
    });
    const bff = await bffOver(master);
    const partial = await eventually(async () => {
      await bff.poller.pollOnce();
      const status = await statusOf(bff);
      return status.loading && status.loading.tasksRead > 0 ? bff.poller.snapshot : undefined;
    });
    dropped.open();
    const error = await eventually(() => errors[0]);
    expect(error).toMatch(/closed the connection/);
    const down = await statusOf(bff);
    expect(down.connected).toBe(false);
    expect(down.loading ?? null).toBeNull();
    expect(bff.poller.snapshot).toBe(partial);
    await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return bff.poller.snapshot?.state.frameworks[0]?.tasks.length;
      },
      (tasks) => tasks === TASKS,
    );
    expect(bff.poller.stream?.subscriptions).toBe(2);
  });

  it('is an error naming the record when the snapshot is malformed, keeping the last data', async () => {
    const good = JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i))));
    // One task cut short in the middle of the list: the rest of the record is fine.
    const broken = good.replace('"name":"sleeper-200"', '"name":"sleeper-200');
    const master = await slowMaster((res, attempt) => res.write(encodeRecord(attempt === 1 ? broken : good)));
    const bff = await bffOver(master);
    const error = await eventually(async () => {
      await bff.poller.pollOnce().catch(() => undefined);
      return errors[0];
    });
    expect(error).toMatch(/cannot read: RecordIO record 1 is not JSON: element 200 of .*get_tasks.tasks/);
    await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return bff.poller.snapshot?.state.frameworks[0]?.tasks.length;
      },
      (tasks) => tasks === TASKS,
    );
  });

  it('refuses a snapshot larger than the upstream body limit, saying so', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    const master = await slowMaster((res) => res.write(record));
    const bff = await bffOver(master, 64 * 1024);
    const down = await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return statusOf(bff);
      },
      (s) => s.lastErrorKind === 'malformed',
    );
    expect(down.lastError).toMatch(/exceeds the limit of 65536/);
    expect(down.connected).toBe(false);
  });

  it('waits longer for the first byte than for a heartbeat, as a master renders its state first', async () => {
    const record = encodeRecord(JSON.stringify(subscribed(Array.from({ length: TASKS }, (_, i) => task(i)))));
    // Silent for 0.5 s: more than 2 heartbeats of 0.1 s, less than the patience for a first byte.
    const master = await slowMaster((res) => void sleep(500).then(() => res.write(record)));
    const bff = await bffOver(master, undefined, 0.1);
    await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return bff.poller.snapshot?.state.frameworks[0]?.tasks.length;
      },
      (tasks) => tasks === TASKS,
    );
    expect(errors).toEqual([]);
    expect(bff.poller.stream?.subscriptions).toBe(1);
  });

  it('gives up on a master that sends nothing at all after SUBSCRIBE, saying so', async () => {
    const master = await slowMaster(() => undefined);
    const bff = await bffOver(master, undefined, 0.1);
    const error = await eventually(async () => {
      await bff.poller.pollOnce().catch(() => undefined);
      return errors[0];
    });
    expect(error).toMatch(/sent nothing in 0\.8 s after SUBSCRIBE/);
  });
});

describe('the periodic reads alongside the stream', () => {
  it('reads the agents again when one is deactivated, not when the stream already said one was added', async () => {
    let metrics = { active: AGENTS.length, inactive: 0 };
    let agentsAsked = 0;
    let stream: ServerResponse | undefined;
    const master = await slowMaster(
      (res) => {
        stream = res;
        res.write(encodeRecord(JSON.stringify(subscribed([task(0)]))));
      },
      {
        ...answers,
        get GET_METRICS() {
          return {
            get_metrics: {
              metrics: [
                { name: 'master/slaves_active', value: metrics.active },
                { name: 'master/slaves_inactive', value: metrics.inactive },
              ],
            },
          };
        },
        get GET_AGENTS() {
          agentsAsked += 1;
          return answers['GET_AGENTS'];
        },
      },
    );
    let now = 1_000_000;
    const client = new MesosClient({ timeoutMs: 2_000 });
    const discovery = new LeaderDiscovery([master.url], client);
    const poller = new ClusterPoller({ client, discovery, now: () => now });
    open.push(
      master,
      { close: () => client.close() },
      { close: async () => discovery.close() },
      { close: async () => poller.stop() },
    );
    // Reads until the stream's background reads are done, the clock moved on by `ms` (metrics are due every 2 s).
    const readAfter = async (ms: number) => {
      now += ms;
      await poller.pollOnce();
      await poller.pollOnce();
      await sleep(50);
    };
    await readAfter(0);
    const primed = agentsAsked;
    expect(primed).toBeGreaterThan(0);

    // A third agent registers: the stream says so, and the metrics count it.
    const third = {
      ...agents[0],
      agent_info: { ...agents[0]?.agent_info, id: id('agent-3'), hostname: 'host-3' },
    };
    stream?.write(encodeRecord(JSON.stringify({ type: 'AGENT_ADDED', agent_added: { agent: third } })));
    metrics = { active: AGENTS.length + 1, inactive: 0 };
    await eventually(async () => {
      await poller.pollOnce();
      return poller.snapshot?.state.slaves.length === AGENTS.length + 1 || undefined;
    });
    await readAfter(3_000);
    await readAfter(3_000);
    expect(agentsAsked).toBe(primed);

    // One is deactivated: no event says so, only the metrics.
    metrics = { active: AGENTS.length, inactive: 1 };
    await readAfter(3_000);
    await eventually(() => (agentsAsked === primed + 1 ? true : undefined));
  });
});
