/**
 * A Mesos-DNS: reads a master's `/master/state` every few seconds, as mesos-dns does, and serves the records
 * over DNS (UDP and TCP on one port) and its HTTP API. It only needs the master's HTTP API, so it works
 * against any Mesos master, local or not.
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import { answerQuery, encodeWithin, udpLimit } from './dns-answer';
import type { SoaConfig } from './dns-answer';
import { createMesosDnsHttp } from './http-api';
import { parseMasterState } from './master-state';
import { generateRecords, splitHostPort } from './records';
import type { GeneratorConfig, IpSource, RecordSet } from './records';

export interface MesosDnsOptions {
  /** The master (or masters: the first that answers is read), e.g. `http://127.0.0.1:5050`. */
  masters: readonly string[];
  /** Address to listen on (default 127.0.0.1), for DNS and HTTP. */
  host?: string;
  /** DNS port, UDP and TCP (default 0: a free port). */
  port?: number;
  /** HTTP API port (default 0: a free port). */
  httpPort?: number;
  /** How often the master state is read (default 5 s; mesos-dns's own default is 60 s). */
  refreshMs?: number;
  /** Default `mesos`. */
  domain?: string;
  /** Record TTL in seconds (default 60). */
  ttl?: number;
  /** Default netinfo, mesos, host. */
  ipSources?: IpSource[];
  /** Labels cut at 24 characters and starting with a letter (default: RFC 1123, 63 characters). */
  enforceRfc952?: boolean;
  /** Sent on each state request, e.g. basic credentials. */
  headers?: Record<string, string>;
  log?: (line: string) => void;
}

/** A running Mesos-DNS. */
export interface MesosDns {
  /** `127.0.0.1:PORT`: where to send DNS queries (`dig @127.0.0.1 -p PORT`). */
  dnsAddress: string;
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT`: the HTTP API. */
  httpUrl: string;
  /** Reads the master now; resolves once the records are replaced (rejects when the master cannot be read). */
  refresh(): Promise<void>;
  records(): RecordSet;
  close(): Promise<void>;
}

const VERSION = '0.9.3';
const STATE_TIMEOUT_MS = 5000;
const MAX_STATE_BYTES = 64 * 1024 * 1024;
const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 64;

const EMPTY: RecordSet = { a: new Map(), aaaa: new Map(), srv: new Map(), frameworks: [] };

async function readState(master: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(new URL('/master/state', master), {
    headers,
    redirect: 'follow',
    signal: AbortSignal.timeout(STATE_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${master}/master/state answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_STATE_BYTES)
    throw new Error(`${master}/master/state is larger than ${MAX_STATE_BYTES} bytes`);
  return response.text();
}

/** Host names in the state that are not IP literals, resolved once per refresh. */
async function resolveNames(names: Iterable<string>): Promise<Map<string, string[]>> {
  const resolved = new Map<string, string[]>();
  await Promise.all(
    [...new Set(names)].map(async (name) => {
      try {
        resolved.set(
          name,
          (await lookup(name, { all: true })).map((entry) => entry.address),
        );
      } catch {
        resolved.set(name, []);
      }
    }),
  );
  return resolved;
}

function hostsIn(body: string): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(/"(?:pid|leader)"\s*:\s*"[^"@]*@([^":\]]+):\d+"/g))
    if (match[1] && isIP(match[1]) === 0) names.push(match[1]);
  return names;
}

/** Starts a Mesos-DNS; it reads the master once before it resolves (an unreadable master is logged, not fatal). */
export async function startMesosDns(options: MesosDnsOptions): Promise<MesosDns> {
  if (options.masters.length === 0) throw new Error('Mesos-DNS needs at least one master URL');
  const host = options.host ?? '127.0.0.1';
  const domain = (options.domain ?? 'mesos').toLowerCase();
  const ttl = options.ttl ?? 60;
  const refreshMs = options.refreshMs ?? 5000;
  const log = options.log ?? (() => {});
  const generator: GeneratorConfig = {
    domain,
    soaMname: `ns1.${domain}.`,
    listener: host,
    masters: options.masters.flatMap((url) => {
      const parsed = new URL(url);
      const address = splitHostPort(parsed.host);
      return address ? [`${address.host.replace(/^\[|\]$/g, '')}:${address.port}`] : [];
    }),
    ipSources: options.ipSources ?? ['netinfo', 'mesos', 'host'],
    enforceRfc952: options.enforceRfc952 ?? false,
  };
  const soa: SoaConfig = {
    domain,
    ttl,
    mname: `ns1.${domain}.`,
    rname: `root.ns1.${domain}.`,
    serial: Math.floor(Date.now() / 1000),
    refresh: 60,
    retry: 600,
    expire: 86400,
  };
  let records = EMPTY;

  const refresh = async () => {
    let lastError: unknown;
    for (const master of options.masters) {
      try {
        const body = await readState(master, options.headers ?? {});
        const state = parseMasterState(body);
        const names = await resolveNames(hostsIn(body));
        records = generateRecords(state, generator, (name) => names.get(name) ?? []);
        soa.serial = (soa.serial + 1) >>> 0;
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  };

  const answer = (message: Buffer) => answerQuery(message, records, soa);

  const serveUdp = (socket: UdpSocket) => {
    socket.on('message', (message, remote) => {
      const { packet } = answer(message);
      if (packet) socket.send(encodeWithin(packet, udpLimit(message)), remote.port, remote.address);
    });
    socket.on('error', (error) => log(`mesos-dns: udp: ${error.message}`));
  };

  const connections = new Set<Socket>();
  const tcp: TcpServer = createTcpServer((socket) => {
    if (connections.size >= MAX_TCP_CONNECTIONS) {
      socket.destroy();
      return;
    }
    connections.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) return;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const { packet } = answer(message);
        if (!packet) {
          socket.destroy();
          return;
        }
        const encoded = encodeWithin(packet, 65535);
        const frame = Buffer.alloc(2 + encoded.length);
        frame.writeUInt16BE(encoded.length, 0);
        encoded.copy(frame, 2);
        socket.write(frame);
      }
    });
  });

  const http = createMesosDnsHttp({
    records: () => records,
    version: VERSION,
    config: () => ({
      RefreshSeconds: Math.max(1, Math.round(refreshMs / 1000)),
      Masters: generator.masters,
      Zk: '',
      ZkDetectionTimeout: 30,
      TTL: ttl,
      SOASerial: soa.serial,
      SOARefresh: soa.refresh,
      SOARetry: soa.retry,
      SOAExpire: soa.expire,
      SOAMinttl: ttl,
      SOAMname: soa.mname,
      SOARname: soa.rname,
      Port: port,
      Domain: domain,
      Resolvers: [],
      Timeout: 5,
      StateTimeoutSeconds: STATE_TIMEOUT_MS / 1000,
      Listener: host,
      HTTPListener: host,
      HttpPort: httpPort,
      DnsOn: true,
      HttpOn: true,
      ExternalOn: false,
      RecurseOn: false,
      EnumerationOn: true,
      IPSources: generator.ipSources,
      EnforceRFC952: generator.enforceRfc952,
    }),
  });

  let port = 0;
  let httpPort = 0;
  let udp: UdpSocket | undefined;
  const timer = setInterval(() => {
    refresh().catch((error: Error) => log(`mesos-dns: cannot read the master: ${error.message}`));
  }, refreshMs);
  timer.unref();
  const close = async () => {
    clearInterval(timer);
    for (const socket of connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (udp ? udp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => tcp.close(() => resolve())),
      new Promise<void>((resolve) => http.close(() => resolve())),
    ]);
  };

  // One port for UDP and TCP: take a free TCP port, then the same UDP port (retrying if it is taken).
  for (let attempt = 0; ; attempt++) {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(options.port ?? 0, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    port = (tcp.address() as { port: number }).port;
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      udp = socket;
      serveUdp(socket);
      break;
    } catch (error) {
      socket.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (options.port || attempt >= 20) throw error;
    }
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 0, host, () => resolve());
  });
  httpPort = (http.address() as { port: number }).port;

  const urlHost = host.includes(':') ? `[${host}]` : host;
  await refresh().catch((error: Error) => log(`mesos-dns: cannot read the master: ${error.message}`));

  return {
    dnsAddress: `${urlHost}:${port}`,
    host,
    port,
    httpUrl: `http://${urlHost}:${httpPort}`,
    refresh,
    records: () => records,
    close,
  };
}
