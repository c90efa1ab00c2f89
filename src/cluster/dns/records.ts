/**
 * The records Mesos-DNS serves, generated from a master's `/master/state` as mesos-dns's
 * `records/generator.go` does: framework, agent, master and leader records, the name server's own A record,
 * and for every TASK_RUNNING task its A records (`task.framework`, the canonical
 * `task-<hash>-<agent>.framework`, both also under `.slave`) and SRV records (host ports, and discovery ports
 * with their names). Every name is lowercase and ends with a dot.
 */
import { isIP } from 'node:net';
import { dnsDomainFragment, dnsLabel, dnsLabelRfc952 } from '../../mesos/mesos-dns';
import { canonicalTaskLabel } from './canonical-name';
import type { MasterStateForDns, StateTask } from './master-state';

export type RecordType = 'A' | 'AAAA' | 'SRV';

/** Name to values; an SRV value is `target:port`. Sets, like mesos-dns's `rrs`. */
export type RecordMap = Map<string, Set<string>>;

export interface EnumerableRecord {
  name: string;
  host: string;
  rtype: RecordType;
}
export interface EnumerableTask {
  name: string;
  id: string;
  records: EnumerableRecord[];
}
export interface EnumerableFramework {
  tasks: EnumerableTask[];
  name: string;
}

export interface RecordSet {
  a: RecordMap;
  aaaa: RecordMap;
  srv: RecordMap;
  /** What `/v1/enumerate` lists. */
  frameworks: EnumerableFramework[];
}

export interface GeneratorConfig {
  /** Without a trailing dot, e.g. `mesos`. */
  domain: string;
  /** The name server's own name, with its trailing dot (`ns1.mesos.`). */
  soaMname: string;
  /** The address the DNS server listens on, published as the name server's A record. */
  listener: string;
  /** The configured masters as `host:port` (`master0`, `master1`...). */
  masters: readonly string[];
  /** Where a task's address comes from, first populated source wins (mesos-dns default netinfo, mesos, host). */
  ipSources: readonly IpSource[];
  enforceRfc952: boolean;
}

export const IP_SOURCES = ['netinfo', 'mesos', 'docker', 'host'] as const;
export type IpSource = (typeof IP_SOURCES)[number];

/** Resolves a host name that is not an IP literal (agents and frameworks may be registered by name). */
export type HostResolver = (host: string) => readonly string[];

function add(map: RecordMap, name: string, value: string): boolean {
  if (value === '') return false;
  let values = map.get(name);
  if (!values) map.set(name, (values = new Set()));
  if (values.has(value)) return false;
  values.add(value);
  return true;
}

/** `host:port` with brackets for IPv6 hosts, as Go's net.JoinHostPort writes it. */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Splits `host:port` (or `[v6]:port`); null when there is no port. */
export function splitHostPort(address: string): { host: string; port: string } | null {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(address);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  const at = address.lastIndexOf(':');
  if (at <= 0 || address.indexOf(':') !== at) return null;
  return { host: address.slice(0, at), port: address.slice(at + 1) };
}

/** A libprocess pid `name@host:port`, split. */
function upid(pid: string | undefined): { host: string; port: string } | null {
  if (!pid) return null;
  const at = pid.indexOf('@');
  return at < 0 ? null : splitHostPort(pid.slice(at + 1));
}

/** Expands Mesos's `[31000-31002, 31005-31005]` ports text into the port numbers, as mesos-dns reads it. */
export function expandPortRanges(text: string | undefined): string[] {
  const inner = /^\s*\[(.*)\]\s*$/.exec(text ?? '')?.[1];
  if (!inner) return [];
  const ports: string[] = [];
  for (const range of inner.split(',')) {
    const [low, high] = range.trim().split('-').map(Number);
    if (!Number.isInteger(low) || !Number.isInteger(high)) continue;
    // A task holds few ports; a range wider than a port space is not worth expanding.
    for (let port = low!; port <= high! && port <= 65535 && ports.length < 1024; port++)
      ports.push(String(port));
  }
  return ports;
}

function latestRunningStatus(task: StateTask) {
  let latest: StateTask['statuses'][number] | undefined;
  for (const status of task.statuses)
    if (status.state === 'TASK_RUNNING' && (!latest || status.timestamp > latest.timestamp)) latest = status;
  return latest;
}

function labelValue(labels: readonly { key: string; value: string }[] | undefined, key: string): string[] {
  return (labels ?? []).filter((label) => label.key === key).map((label) => label.value);
}

function taskIps(task: StateTask, agentIps: readonly string[], sources: readonly IpSource[]): string[] {
  const status = latestRunningStatus(task);
  for (const source of sources) {
    let candidates: string[] = [];
    if (source === 'host') candidates = [...agentIps];
    else if (source === 'netinfo')
      candidates = (status?.container_status?.network_infos ?? []).flatMap((info) =>
        info.ip_addresses && info.ip_addresses.length > 0
          ? info.ip_addresses.map((address) => address.ip_address ?? '')
          : [info.ip_address ?? ''],
      );
    else if (source === 'mesos')
      candidates = labelValue(status?.labels, 'MesosContainerizer.NetworkSettings.IPAddress');
    else candidates = labelValue(status?.labels, 'Docker.NetworkSettings.IPAddress');
    const ips = candidates.filter((ip) => isIP(ip) !== 0);
    if (ips.length > 0) return ips;
  }
  return [];
}

function ipsOf(host: string, resolve: HostResolver): string[] {
  return isIP(host) !== 0 ? [host] : resolve(host).filter((ip) => isIP(ip) !== 0);
}

const kindOf = (ip: string): 'A' | 'AAAA' => (isIP(ip) === 6 ? 'AAAA' : 'A');

/** All the records of one master state. */
export function generateRecords(
  state: MasterStateForDns,
  config: GeneratorConfig,
  resolve: HostResolver = () => [],
): RecordSet {
  const set: RecordSet = { a: new Map(), aaaa: new Map(), srv: new Map(), frameworks: [] };
  const label = config.enforceRfc952 ? dnsLabelRfc952 : dnsLabel;
  const domain = config.domain;
  const insert = (name: string, value: string, kind: RecordType) =>
    add(kind === 'A' ? set.a : kind === 'AAAA' ? set.aaaa : set.srv, name, value);

  // Frameworks: `framework.domain.` and `_framework._tcp.framework.domain.`
  for (const framework of state.frameworks) {
    const pid = upid(framework.pid);
    const host = pid ? pid.host : (framework.hostname ?? '');
    const ips = host ? ipsOf(host, resolve) : [];
    if (ips.length === 0) continue;
    const name = `${dnsDomainFragment(framework.name, label)}.${domain}.`;
    for (const ip of ips) insert(name, ip, kindOf(ip));
    if (pid?.port) insert(`_framework._tcp.${name}`, joinHostPort(name, pid.port), 'SRV');
  }

  // Agents: `slave.domain.` and `_slave._tcp.domain.`
  const agentIps = new Map<string, string[]>();
  for (const agent of state.slaves) {
    const pid = upid(agent.pid);
    const ips = pid ? ipsOf(pid.host, resolve) : [];
    for (const ip of ips) insert(`slave.${domain}.`, ip, kindOf(ip));
    if (pid && ips.length > 0)
      insert(`_slave._tcp.${domain}.`, joinHostPort(`slave.${domain}.`, pid.port), 'SRV');
    agentIps.set(agent.id, ips);
  }

  // The name server itself.
  if (isIP(config.listener) !== 0) insert(config.soaMname, config.listener, kindOf(config.listener));

  // Masters: `leader.domain.`, `master.domain.`, `masterN.domain.`, `_leader._tcp|_udp.domain.`
  const leader = upid(state.leader);
  const leaderIps = leader ? ipsOf(leader.host, resolve) : [];
  const leaderIp = leaderIps[0];
  if (leader && leaderIp) {
    const leaderAddress = joinHostPort(leader.host, leader.port);
    insert(`leader.${domain}.`, leaderIp, kindOf(leaderIp));
    insert(`master.${domain}.`, leaderIp, kindOf(leaderIp));
    insert(`_leader._tcp.${domain}.`, `leader.${domain}.:${leader.port}`, 'SRV');
    insert(`_leader._udp.${domain}.`, `leader.${domain}.:${leader.port}`, 'SRV');
    let index = 0;
    let leaderListed = false;
    for (const master of config.masters) {
      const address = splitHostPort(master);
      const masterIp = address ? ipsOf(address.host, resolve)[0] : undefined;
      if (!address || !masterIp) continue;
      const isLeader = master === leaderAddress;
      if (!isLeader && !insert(`master.${domain}.`, masterIp, kindOf(masterIp))) continue;
      if (isLeader && leaderListed) continue;
      insert(`master${index++}.${domain}.`, masterIp, kindOf(masterIp));
      if (isLeader) leaderListed = true;
    }
    if (!leaderListed) insert(`master${index}.${domain}.`, leaderIp, kindOf(leaderIp));
  }

  // Tasks: only running ones on a known agent.
  for (const framework of state.frameworks) {
    const enumerable: EnumerableFramework = { name: framework.name, tasks: [] };
    set.frameworks.push(enumerable);
    const fname = dnsDomainFragment(framework.name, label);
    for (const task of framework.tasks) {
      const ips = agentIps.get(task.slave_id);
      if (!ips || task.state !== 'TASK_RUNNING') continue;
      const entry: EnumerableTask = { name: task.name, id: task.id, records: [] };
      enumerable.tasks.push(entry);
      const insertTask = (name: string, value: string, kind: RecordType) => {
        if (insert(name, value, kind)) entry.records.push({ name, host: value, rtype: kind });
      };
      const hasDiscovery = Boolean(task.discovery?.name);
      const taskLabel = label(hasDiscovery ? task.discovery!.name! : task.name);
      const canonical = `${canonicalTaskLabel(taskLabel, task.id, task.slave_id)}.${fname}`;
      const arec = `${taskLabel}.${fname}`;
      const tail = `.${domain}.`;
      for (const ip of taskIps(task, ips, config.ipSources)) {
        insertTask(arec + tail, ip, kindOf(ip));
        insertTask(canonical + tail, ip, kindOf(ip));
      }
      for (const ip of ips) {
        insertTask(`${arec}.slave${tail}`, ip, kindOf(ip));
        insertTask(`${canonical}.slave${tail}`, ip, kindOf(ip));
      }
      const service = `_${taskLabel}`;
      const agentTarget = `${canonical}.slave${tail}`;
      const subdomains = hasDiscovery ? ['.slave'] : ['.slave', ''];
      for (const port of expandPortRanges(task.resources?.ports))
        for (const subdomain of subdomains)
          for (const protocol of ['tcp', 'udp'])
            insertTask(
              `${service}._${protocol}.${fname}${subdomain}${tail}`,
              `${agentTarget}:${port}`,
              'SRV',
            );
      if (!hasDiscovery) continue;
      for (const port of task.discovery?.ports?.ports ?? []) {
        const target = `${canonical}${tail}:${port.number}`;
        const protocol = label(port.protocol ?? '');
        const portName = label(port.name ?? '');
        for (const proto of protocol ? [protocol] : ['tcp', 'udp']) {
          const name = `${service}._${proto}.${fname}${tail}`;
          insertTask(name, target, 'SRV');
          if (portName) insertTask(`_${portName}.${name}`, target, 'SRV');
        }
      }
    }
  }
  return set;
}
