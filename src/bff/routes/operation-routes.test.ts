import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../cluster';
import type { LocalCluster } from '../../cluster';
import { buildApp } from '../app';
import type { AppDeps } from '../app';
import { ClusterPoller } from '../reading/cluster-poller';
import { HtpasswdUsers } from '../plugins';
import type { AuditEntryView, StatusView } from '../schemas/views';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import { MesosClient } from '../upstream/mesos-client';

let cluster: LocalCluster;
let dataDir: string;
const opened: { close(): Promise<void> }[] = [];

const hash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$');
let htpasswd: string;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-ops-'));
  htpasswd = `alice:${hash('alice pw')}\nbob:${hash('bob pw')}\n`;
}, 60_000);

afterAll(async () => {
  for (const app of opened) await app.close();
  await cluster?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A BFF over the local cluster, listening on a free port, with htpasswd sign-in. */
async function bff(extra: Partial<AppDeps> = {}): Promise<string> {
  const client = new MesosClient({ timeoutMs: 5_000 });
  const discovery = new LeaderDiscovery([cluster.masterUrl], client);
  const pollerOptions = { client, discovery, intervalMs: 60_000, read: 'poll' };
  const poller = new ClusterPoller(pollerOptions as ConstructorParameters<typeof ClusterPoller>[0]);
  const app = await buildApp({
    poller,
    discovery,
    client,
    mode: 'remote',
    masters: [cluster.masterUrl],
    version: 'test',
    uiDir: null,
    dataDir,
    access: { kind: 'htpasswd', users: new HtpasswdUsers(htpasswd) },
    ...extra,
  });
  opened.push({
    close: async () => {
      poller.stop();
      discovery.close();
      await app.close();
      await client.close();
    },
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const alice = basic('alice', 'alice pw');
const bob = basic('bob', 'bob pw');

/** What mesoscope's own page sends: same Origin, the operation header, JSON. */
function operate(
  base: string,
  action: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Response> {
  const sent: Record<string, string> = {
    authorization: alice,
    origin: base,
    'x-mesoscope-operation': '1',
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete sent[name];
    else sent[name] = value;
  }
  return fetch(`${base}/api/operations/${action}`, {
    method: 'POST',
    headers: sent,
    body: JSON.stringify(body),
  });
}

interface MasterState {
  slaves: { id: string; active: boolean; hostname: string }[];
  frameworks: { id: string; name: string; active: boolean }[];
  completed_frameworks: { id: string }[];
}
async function masterState(): Promise<MasterState> {
  return (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as MasterState;
}

function auditLines(): AuditEntryView[] {
  return readFileSync(path.join(dataDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntryView);
}
const lastAudit = () => auditLines().at(-1)!;

describe('operations on (--allow-operations, every signed-in user)', () => {
  let base: string;
  beforeAll(async () => {
    base = await bff({ operations: { operators: null } });
  });

  it('deactivates and reactivates an agent on the master, each written to the audit log', async () => {
    const agent = (await masterState()).slaves[0]!;
    expect(agent.active).toBe(true);

    const off = await operate(base, 'deactivate-agent', { agentId: agent.id });
    expect(off.status).toBe(200);
    expect(((await off.json()) as { target: string }).target).toBe(`agent ${agent.id}`);
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(false);
    const entry = lastAudit();
    expect(entry).toMatchObject({
      user: 'alice',
      action: 'deactivate-agent',
      target: `agent ${agent.id}`,
      outcome: 'done',
      status: 200,
      masterStatus: 200,
    });
    expect(entry.requestId).toBe(off.headers.get('x-request-id'));
    expect(Date.parse(entry.at)).not.toBeNaN();

    const on = await operate(base, 'reactivate-agent', { agentId: agent.id });
    expect(on.status).toBe(200);
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(true);
    expect(lastAudit()).toMatchObject({ action: 'reactivate-agent', outcome: 'done' });
  });

  it("tears down a framework: it leaves the master's active frameworks", async () => {
    const framework = (await masterState()).frameworks[0]!;
    const response = await operate(base, 'teardown-framework', { frameworkId: framework.id });
    expect(response.status).toBe(200);
    const after = await masterState();
    expect(after.frameworks.map((f) => f.id)).not.toContain(framework.id);
    expect(after.completed_frameworks.map((f) => f.id)).toContain(framework.id);
    expect(lastAudit()).toMatchObject({ action: 'teardown-framework', target: `framework ${framework.id}` });
  });

  it('adds a maintenance window for a machine, keeping the windows already scheduled', async () => {
    const schedule = async () =>
      (await (await fetch(`${cluster.masterUrl}/maintenance/schedule`)).json()) as {
        windows?: { machine_ids: { hostname?: string }[] }[];
      };
    const before = (await schedule()).windows?.length ?? 0;
    for (const hostname of ['maintenance-a.example', 'maintenance-b.example']) {
      const response = await operate(base, 'schedule-maintenance', {
        machine: { hostname, ip: '10.9.9.9' },
        durationSecs: 3600,
      });
      expect(response.status).toBe(200);
    }
    const windows = (await schedule()).windows ?? [];
    expect(windows).toHaveLength(before + 2);
    expect(windows.flatMap((w) => w.machine_ids.map((m) => m.hostname))).toEqual(
      expect.arrayContaining(['maintenance-a.example', 'maintenance-b.example']),
    );
  });

  it("passes the master's refusal on as a 502 naming its status and text, and audits it", async () => {
    const response = await operate(base, 'teardown-framework', { frameworkId: 'no-such-framework' });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('HTTP 400');
    expect(body.message).toContain('No framework found with specified ID');
    expect(lastAudit()).toMatchObject({
      outcome: 'failed',
      masterStatus: 400,
      target: 'framework no-such-framework',
    });
  });

  it('refuses bad input with 400 and sends nothing', async () => {
    for (const [action, body] of [
      ['deactivate-agent', {}],
      ['deactivate-agent', { agentId: '' }],
      ['deactivate-agent', { agentId: 'a', extra: 1 }],
      ['drain-agent', { agentId: 'a', maxGracePeriodSecs: -1 }],
      ['machine-down', { machine: {} }],
      ['format-disk', { agentId: 'a' }],
    ] as const) {
      const response = await operate(base, action, body);
      expect(response.status, `${action} ${JSON.stringify(body)}`).toBe(400);
      expect(lastAudit()).toMatchObject({ action, outcome: 'refused', status: 400 });
    }
  });

  it('refuses a request without sign-in (401) and audits it', async () => {
    const agent = (await masterState()).slaves[0]!;
    const response = await operate(
      base,
      'deactivate-agent',
      { agentId: agent.id },
      { authorization: undefined },
    );
    expect(response.status).toBe(401);
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(true);
    expect(lastAudit()).toMatchObject({
      user: null,
      action: 'deactivate-agent',
      outcome: 'refused',
      status: 401,
    });
  });

  it('refuses another Origin, no Origin, and a request without the operation header (403), audited', async () => {
    const agent = (await masterState()).slaves[0]!;
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ origin: 'https://evil.example' }, /another site/],
      [{ origin: 'null' }, /Origin/],
      [{ origin: undefined }, /Origin/],
      [{ 'x-mesoscope-operation': undefined }, /x-mesoscope-operation/],
      [{ 'x-mesoscope-operation': undefined, 'content-type': 'application/x-www-form-urlencoded' }, /header/],
    ];
    for (const [headers, message] of cases) {
      const response = await operate(base, 'deactivate-agent', { agentId: agent.id }, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
      expect(lastAudit()).toMatchObject({ user: 'alice', outcome: 'refused', status: 403 });
    }
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(true);
    // A browser's same-origin fetch without Origin says so in Sec-Fetch-Site.
    const sameOrigin = await operate(
      base,
      'deactivate-agent',
      { agentId: agent.id },
      { origin: undefined, 'sec-fetch-site': 'same-origin' },
    );
    expect(sameOrigin.status, await sameOrigin.clone().text()).toBe(200);
    expect((await operate(base, 'reactivate-agent', { agentId: agent.id })).status).toBe(200);
  });

  it('lists the audit log newest first, and says in /api/status that operations are on', async () => {
    const audit = await fetch(`${base}/api/audit`, { headers: { authorization: alice } });
    expect(audit.status).toBe(200);
    const { entries } = (await audit.json()) as { entries: AuditEntryView[] };
    expect(entries.length).toBe(auditLines().length);
    expect(entries[0]).toEqual(lastAudit());
    const status = (await (
      await fetch(`${base}/api/status`, { headers: { authorization: alice } })
    ).json()) as StatusView;
    expect(status.operations).toEqual({ enabled: true, user: 'alice', mayOperate: true });
  });
});

describe('operations limited to --operators', () => {
  it('refuses a signed-in user who is not an operator (403), audited, and lets an operator', async () => {
    const base = await bff({ operations: { operators: ['alice'] } });
    const agent = (await masterState()).slaves[1]!;
    const refused = await operate(base, 'deactivate-agent', { agentId: agent.id }, { authorization: bob });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain(
      'bob is not one of the operators',
    );
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(true);
    expect(lastAudit()).toMatchObject({ user: 'bob', outcome: 'refused', status: 403 });
    const status = (await (
      await fetch(`${base}/api/status`, { headers: { authorization: bob } })
    ).json()) as StatusView;
    expect(status.operations).toEqual({ enabled: true, user: 'bob', mayOperate: false });

    // The demo schedules maintenance for the agents' machine, and Mesos drains no agent of a scheduled machine.
    await fetch(`${cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'UPDATE_MAINTENANCE_SCHEDULE',
        update_maintenance_schedule: { schedule: {} },
      }),
    });
    const drained = await operate(base, 'drain-agent', { agentId: agent.id, maxGracePeriodSecs: 1 });
    expect(drained.status, await drained.clone().text()).toBe(200);
    const after = (await masterState()).slaves.find((s) => s.id === agent.id);
    expect(after?.active).toBe(false);
    expect(lastAudit()).toMatchObject({ user: 'alice', action: 'drain-agent', outcome: 'done' });
  }, 30_000);
});

describe('operations off (the default)', () => {
  it('has no operation route (404) and says so in /api/status', async () => {
    const base = await bff();
    const response = await operate(base, 'deactivate-agent', { agentId: 'x' });
    expect(response.status).toBe(404);
    const status = (await (
      await fetch(`${base}/api/status`, { headers: { authorization: alice } })
    ).json()) as StatusView;
    expect(status.operations).toEqual({ enabled: false, user: 'alice', mayOperate: false });
  });

  it('refuses to build with operations but no sign-in', async () => {
    await expect(bff({ access: { kind: 'open' }, operations: { operators: null } })).rejects.toThrow(
      /sign-in/,
    );
  });
});
