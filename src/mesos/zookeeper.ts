/**
 * How Mesos masters publish themselves in ZooKeeper (`--zk=zk://host:2181/mesos`): each master joins the group
 * at the URL's path with an ephemeral sequential znode `json.info_<10-digit sequence>` whose data is its
 * `MasterInfo` as JSON, and the member with the lowest sequence is the leader. Pure: no I/O.
 */
import { z } from 'zod';
import { parsePid } from './ids';
import { makeParser } from './parse';

/** The label Mesos (0.24 and later) gives its group members; older masters wrote binary `info_` nodes. */
export const MASTER_INFO_LABEL = 'json.info';

/** A parsed `zk://[user:password@]host:port[,host:port...]/path` URL. */
export interface ZooKeeperUrl {
  /** `host:port,host:port` as ZooKeeper clients take it (port 2181 added where missing). */
  servers: string;
  /** The group path, e.g. `/mesos`. */
  path: string;
  /** Digest credentials (`user:password`), if the URL carries them. Never show this. */
  digest: string | null;
}

/** Parses a Mesos ZooKeeper URL; throws an Error (without the credentials) when it is not one. */
export function parseZooKeeperUrl(text: string): ZooKeeperUrl {
  const match = /^zk:\/\/(?:([^@/]*)@)?([^/]+)(\/.*)?$/i.exec(text.trim());
  if (!match) throw new Error(`'${redactZooKeeperUrl(text)}' is not a zk://host:port/path URL`);
  const [, userinfo, hostList = '', rawPath = ''] = match;
  const path = rawPath.replace(/\/+$/, '');
  if (!path || !/^(\/[^/\s]+)+$/.test(path)) {
    throw new Error(`${redactZooKeeperUrl(text)} needs a group path, such as zk://host:2181/mesos`);
  }
  const servers = hostList.split(',').map((entry) => {
    const hostPort = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
    if (!hostPort?.[1] || Number(hostPort[2] ?? 2181) > 65_535) {
      throw new Error(`'${entry.trim()}' in ${redactZooKeeperUrl(text)} is not a host:port`);
    }
    return `${hostPort[1]}:${hostPort[2] ?? 2181}`;
  });
  return { servers: servers.join(','), path, digest: userinfo ? decodeURIComponent(userinfo) : null };
}

/** The URL as it may be shown: any `user:password@` removed. */
export function redactZooKeeperUrl(text: string): string {
  return text.trim().replace(/^(zk:\/\/)[^@/]*@/i, '$1');
}

/** A group member, by znode name. */
interface GroupMember {
  name: string;
  sequence: number;
}

/**
 * The `json.info_` members of a group, lowest sequence (the leader) first. Other children (`log_replicas`,
 * old binary `info_` nodes, anything else) are ignored.
 */
export function masterGroupMembers(children: readonly string[]): GroupMember[] {
  const prefix = `${MASTER_INFO_LABEL}_`;
  return children
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ name, sequence: Number(name.slice(prefix.length)) }))
    .sort((a, b) => a.sequence - b.sequence);
}

/** A group member's znode name for a sequence number, as ZooKeeper formats it (`json.info_0000000007`). */
export function memberName(sequence: number): string {
  return `${MASTER_INFO_LABEL}_${String(sequence).padStart(10, '0')}`;
}

const MasterInfoSchema = z.looseObject({
  id: z.string(),
  /** IPv4 address as libprocess stores it: the network-order bytes read as a little-endian uint32. */
  ip: z.number().optional(),
  port: z.number().optional(),
  pid: z.string().optional(),
  hostname: z.string().optional(),
  version: z.string().optional(),
  address: z
    .looseObject({ hostname: z.string().optional(), ip: z.string().optional(), port: z.number().optional() })
    .optional(),
});
export type MasterInfo = z.output<typeof MasterInfoSchema>;

/** Parses the data of a `json.info_` znode; throws MesosParseError for anything else. */
export const parseMasterInfo = makeParser(MasterInfoSchema, 'MasterInfo');

/** `127.0.0.1` → 16777343, the way a Mesos master writes `MasterInfo.ip`. */
export function ipv4ToMesosInt(ip: string): number {
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return 0;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return (a + b * 2 ** 8 + c * 2 ** 16 + d * 2 ** 24) >>> 0;
}

/** 16777343 → `127.0.0.1`. */
export function mesosIntToIpv4(value: number): string {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff].join('.');
}

/**
 * Where a master listens, from its MasterInfo: the advertised hostname (what the Mesos UI links to), else the
 * address's IP, else the pid, else the packed `ip`. Null when the info names no port.
 */
export function masterInfoAddress(info: MasterInfo): { host: string; port: number } | null {
  const pid = info.pid ? parsePid(info.pid) : null;
  const port = info.address?.port ?? info.port ?? pid?.port;
  if (port === undefined || port <= 0 || port > 65_535) return null;
  const host =
    info.hostname ||
    info.address?.hostname ||
    info.address?.ip ||
    pid?.ip ||
    (info.ip !== undefined ? mesosIntToIpv4(info.ip) : '');
  return host ? { host, port } : null;
}
