import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster, MesosDns } from '../index';
import { eventually, getJson } from '../test-helpers';
import { hasDig } from '../../testing/has-dig';

const run = promisify(execFile);

interface Dig {
  status: string;
  answers: string[][];
  authority: string[][];
  additional: string[][];
}

/** Asks with real `dig`; each record is its whitespace-separated fields (name ttl class type data...). */
async function dig(dns: MesosDns, name: string, type = 'A', tcp = false): Promise<Dig> {
  const args = ['@127.0.0.1', '-p', String(dns.port), name, type, '+tries=1', '+time=3', '+norecurse'];
  const { stdout } = await run('dig', tcp ? [...args, '+tcp'] : args);
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO ANSWER';
  const section = (title: string) => {
    const start = stdout.indexOf(`;; ${title} SECTION:`);
    if (start < 0) return [];
    const lines = stdout.slice(start).split('\n').slice(1);
    const end = lines.findIndex((line) => line.trim() === '');
    return lines.slice(0, end < 0 ? undefined : end).map((line) => line.trim().split(/\s+/));
  };
  return {
    status,
    answers: section('ANSWER'),
    authority: section('AUTHORITY'),
    additional: section('ADDITIONAL'),
  };
}

interface StateTask {
  id: string;
  name: string;
  state: string;
  slave_id: string;
  resources: { ports?: string };
}
interface State {
  frameworks: { name: string; tasks: StateTask[] }[];
}

/** Sends raw bytes over UDP; resolves with the answer, or null when none comes within a second. */
function udpExchange(port: number, message: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, 1000);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(message, port, '127.0.0.1');
  });
}

/** Sends one length-framed message over TCP; resolves with the framed answer, or null when the server hangs up. */
function tcpExchange(port: number, message: Buffer): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const frame = Buffer.alloc(2 + message.length);
    frame.writeUInt16BE(message.length, 0);
    message.copy(frame, 2);
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.destroy();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.on('close', () => resolve(null));
    socket.on('error', reject);
  });
}

/** The RCODE of a response (the low 4 bits of its flags): 1 is FORMERR. */
function rcodeOf(message: Buffer): number {
  return message.readUInt16BE(2) & 0xf;
}

function query(name: string, type: 'A' | 'SRV' = 'A', id = 4242): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
  });
}

/** A query whose name is `labels` one-letter labels, written by hand: encoders refuse names past 255 octets. */
function queryWithLabels(labels: number): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const name = Buffer.concat([
    ...Array.from({ length: labels }, () => Buffer.from([1, 0x61])),
    Buffer.from([0]),
  ]);
  return Buffer.concat([header, name, Buffer.from([0, 1, 0, 1])]);
}

describe.skipIf(!hasDig())('Mesos-DNS over a local cluster, asked with dig', () => {
  let cluster: LocalCluster;
  let dns: MesosDns;
  let masterPort: string;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 3, mesosDns: { refreshMs: 300 } });
    dns = cluster.mesosDns!;
    masterPort = new URL(cluster.masterUrl).port;
    // The demo's Marathon keeps two `hello` instances running.
    await eventually(
      async () => ((await dig(dns, 'hello.marathon.mesos')).answers.length > 0 ? true : undefined),
      20_000,
    );
  }, 30_000);
  afterAll(async () => {
    await cluster?.close();
  });

  const runningTasks = async (framework: string, name: string) => {
    const state = await getJson<State>(`${cluster.masterUrl}/master/state`);
    return (state.frameworks.find((f) => f.name === framework)?.tasks ?? []).filter(
      (task) => task.name === name && task.state === 'TASK_RUNNING',
    );
  };

  it('answers A for task.framework.mesos and the agent name over UDP and TCP', async () => {
    for (const tcp of [false, true]) {
      const task = await dig(dns, 'hello.marathon.mesos', 'A', tcp);
      expect(task.status).toBe('NOERROR');
      expect(task.answers.map((record) => record.slice(2))).toEqual([['IN', 'A', '127.0.0.1']]);
      expect(task.answers[0]![0]).toBe('hello.marathon.mesos.');
      const agent = await dig(dns, 'HELLO.marathon.slave.mesos', 'A', tcp);
      expect(agent.answers.map((record) => record[4])).toEqual(['127.0.0.1']);
    }
  });

  it('names each running task canonically, task-<hash>-<agent suffix>, and points SRV records at those names', async () => {
    const tasks = await runningTasks('marathon', 'hello');
    expect(tasks.length).toBe(2);
    const enumerated = await getJson<{
      frameworks: { name: string; tasks: { id: string; records: { name: string; rtype: string }[] }[] }[];
    }>(`${dns.httpUrl}/v1/enumerate`);
    const marathon = enumerated.frameworks.find((f) => f.name === 'marathon')!;
    const srvTargets = new Set<string>();
    for (const task of tasks) {
      const suffix = task.slave_id.split('-').pop()!.toLowerCase();
      const records = marathon.tasks.find((t) => t.id === task.id)!.records;
      const canonical = records
        .map((r) => r.name)
        .find((n) => new RegExp(`^hello-[a-z0-9]{5}-${suffix}\\.marathon\\.mesos\\.$`).test(n));
      expect(canonical).toBeDefined();
      expect((await dig(dns, canonical!, 'A', true)).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
      const port = /^\[(\d+)-\d+\]$/.exec(task.resources.ports ?? '')![1]!;
      srvTargets.add(`${port} ${canonical!.replace('.marathon.mesos.', '.marathon.slave.mesos.')}`);
    }
    for (const name of [
      '_hello._tcp.marathon.mesos',
      '_hello._udp.marathon.mesos',
      '_hello._tcp.marathon.slave.mesos',
    ]) {
      const srv = await dig(dns, name, 'SRV');
      expect(srv.status).toBe('NOERROR');
      expect(new Set(srv.answers.map((r) => `${r[6]} ${r[7]}`))).toEqual(srvTargets);
      // The targets' addresses come along, as additional records.
      expect(srv.additional.filter((r) => r[3] === 'A').map((r) => r[4])).toEqual(['127.0.0.1', '127.0.0.1']);
    }
  });

  it('uses discovery info: its name, and its named ports under _port._task._proto', async () => {
    const web = await dig(dns, '_http._web._tcp.marathon.mesos', 'SRV', true);
    expect(web.status).toBe('NOERROR');
    expect(web.answers).toHaveLength(1);
    expect(web.answers[0]![7]).toMatch(/^web-[a-z0-9]{5}-s\d\.marathon\.mesos\.$/);
  });

  it('answers leader.mesos, master.mesos and _leader._tcp.mesos from the master state', async () => {
    expect((await dig(dns, 'leader.mesos')).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    expect((await dig(dns, 'leader.mesos', 'A', true)).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    expect((await dig(dns, 'master.mesos')).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    expect((await dig(dns, 'master0.mesos')).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    const srv = await dig(dns, '_leader._tcp.mesos', 'SRV');
    expect(srv.answers.map((r) => `${r[6]} ${r[7]}`)).toEqual([`${masterPort} leader.mesos.`]);
    expect((await dig(dns, 'slave.mesos')).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    expect((await dig(dns, '_slave._tcp.mesos', 'SRV')).answers).toHaveLength(3);
  });

  it('says NXDOMAIN, with the SOA, for names it has nothing for, and REFUSED outside its domain', async () => {
    for (const tcp of [false, true]) {
      const missing = await dig(dns, 'no-such-app.marathon.mesos', 'A', tcp);
      expect(missing.status).toBe('NXDOMAIN');
      expect(missing.answers).toEqual([]);
      expect(missing.authority[0]?.slice(3, 6)).toEqual(['SOA', 'ns1.mesos.', 'root.ns1.mesos.']);
    }
    // The name exists, with another type: no data, but not NXDOMAIN.
    expect((await dig(dns, 'hello.marathon.mesos', 'AAAA')).status).toBe('NOERROR');
    expect((await dig(dns, 'example.com')).status).toBe('REFUSED');
  });

  it('answers SOA and NS for the domain, and A for its own name', async () => {
    const soa = await dig(dns, 'mesos', 'SOA');
    expect(soa.status).toBe('NOERROR');
    expect(soa.authority[0]?.slice(3, 6)).toEqual(['SOA', 'ns1.mesos.', 'root.ns1.mesos.']);
    const ns = await dig(dns, 'mesos', 'NS', true);
    expect(ns.authority[0]?.slice(3)).toEqual(['NS', 'ns1.mesos.']);
    expect((await dig(dns, 'ns1.mesos')).answers.map((r) => r[4])).toEqual(['127.0.0.1']);
  });

  it('publishes a task only while it is running', async () => {
    const launched = await cluster.control.launchTask({
      framework: 'batch.prod',
      name: 'Nightly.Report_v2',
      cmd: 'sleep 600',
    });
    await dns.refresh();
    const running = await dig(dns, 'nightly-report-v2.batch.prod.mesos');
    expect(running.answers.map((r) => r[4])).toEqual(['127.0.0.1']);
    await cluster.control.killTask(launched.taskId);
    await dns.refresh();
    expect((await dig(dns, 'nightly-report-v2.batch.prod.mesos', 'A', true)).status).toBe('NXDOMAIN');
  });

  it('serves the HTTP API with mesos-dns shapes: ports as strings, an empty entry for unknown names', async () => {
    expect(await getJson(`${dns.httpUrl}/v1/version`)).toEqual({
      Service: 'Mesos-DNS',
      URL: 'https://github.com/mesosphere/mesos-dns',
      Version: expect.any(String),
    });
    const config = await getJson<Record<string, unknown>>(`${dns.httpUrl}/v1/config`);
    expect(config).toMatchObject({ Domain: 'mesos', Port: dns.port, TTL: 60, DnsOn: true, HttpOn: true });
    expect(config['Masters']).toEqual([`127.0.0.1:${masterPort}`]);
    expect(await getJson(`${dns.httpUrl}/v1/hosts/hello.marathon.mesos`)).toEqual([
      { host: 'hello.marathon.mesos.', ip: '127.0.0.1' },
    ]);
    expect(await getJson(`${dns.httpUrl}/v1/hosts/nothing.mesos`)).toEqual([{ host: '', ip: '' }]);
    const services = await getJson<{ service: string; host: string; ip: string; port: unknown }[]>(
      `${dns.httpUrl}/v1/services/_hello._tcp.marathon.mesos.`,
    );
    expect(services).toHaveLength(2);
    for (const service of services) {
      expect(service.service).toBe('_hello._tcp.marathon.mesos.');
      expect(service.ip).toBe('127.0.0.1');
      expect(service.port).toMatch(/^\d+$/);
    }
    expect(await getJson(`${dns.httpUrl}/v1/services/_none._tcp.marathon.mesos`)).toEqual([
      { service: '', host: '', ip: '', port: '' },
    ]);
    expect((await fetch(`${dns.httpUrl}/v1/nothing`)).status).toBe(404);
    expect((await fetch(`${dns.httpUrl}/v1/hosts/x`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers FORMERR to a 10 kB query and to a name of 200 labels, drops garbage, and keeps serving', async () => {
    const huge = Buffer.concat([query('hello.marathon.mesos'), Buffer.alloc(10 * 1024, 0x41)]);
    for (const exchange of [udpExchange, tcpExchange]) {
      const bigAnswer = await exchange(dns.port, huge);
      expect(rcodeOf(bigAnswer!)).toBe(1);
      expect(dnsPacket.decode(bigAnswer!).id).toBe(4242);
      const labels = await exchange(dns.port, queryWithLabels(200));
      expect(rcodeOf(labels!)).toBe(1);
      expect(dnsPacket.decode(labels!).id).toBe(0x1234);
      const garbage = await exchange(dns.port, Buffer.from('\x00\x07not a dns message at all'));
      if (garbage) expect(rcodeOf(garbage)).toBe(1);
      expect(await exchange(dns.port, Buffer.from([1]))).toBeNull();
    }
    // A response sent to the server is never answered (no reflection loops).
    const response = dnsPacket.encode({
      type: 'response',
      id: 7,
      questions: [{ type: 'A', name: 'x.mesos' }],
    });
    expect(await udpExchange(dns.port, response)).toBeNull();
    expect((await dig(dns, 'hello.marathon.mesos')).answers).toHaveLength(1);
    expect((await dig(dns, 'hello.marathon.mesos', 'A', true)).answers).toHaveLength(1);
  });
});
