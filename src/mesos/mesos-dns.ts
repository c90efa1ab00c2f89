/**
 * The names Mesos-DNS gives a task, following its naming rules (mesos-dns `records/labels` and
 * `records/generator.go`, default RFC 1123 mode):
 * - each label is lowercased; `.`, `_` and `-` become `-`; any other character outside `[a-z0-9]` is dropped;
 *   leading and trailing dashes are trimmed and a label is cut at 63 characters;
 * - a task name is one label (`api.v2` → `api-v2`); a framework name keeps its dots as label separators;
 * - a task with discovery info is named by its discovery name instead of its task name;
 * - records exist only while the task is TASK_RUNNING.
 */
import type { DiscoverySummary } from './task-details';

const MAX_LABEL = 63;
const MESOS_DNS_DOMAIN = 'mesos';

function mapChar(char: string): string {
  if ((char >= 'a' && char <= 'z') || (char >= '0' && char <= '9')) return char;
  if (char >= 'A' && char <= 'Z') return char.toLowerCase();
  if (char === '-' || char === '.' || char === '_') return '-';
  return '';
}

/**
 * One DNS label from any text, as Mesos-DNS makes it (RFC 1123 mode); '' when nothing valid is left.
 * Like Mesos-DNS, when the 63-character cut leaves trailing dashes, they are dropped and the label is topped
 * up from what follows them.
 * @example dnsLabel('ChronosTask:nightly-backup') // 'chronostasknightly-backup'
 */
export function dnsLabel(text: string): string {
  return cutLabel(text, MAX_LABEL, /^-+/);
}

/**
 * One DNS label in Mesos-DNS's RFC 952 mode (`EnforceRFC952`): at most 24 characters, and it starts with a
 * letter (leading dashes and digits are dropped).
 * @example dnsLabelRfc952('2nd.API-server_of-the-payments-team') // 'nd-api-server-of-the-pay'
 */
export function dnsLabelRfc952(text: string): string {
  return cutLabel(text, 24, /^[-0-9]+/);
}

function cutLabel(text: string, maxLength: number, leading: RegExp): string {
  let mapped = '';
  for (const char of text) mapped += mapChar(char);
  const trimmed = mapped.replace(leading, '');
  const size = Math.min(trimmed.length, maxLength);
  const head = trimmed.slice(0, size).replace(/-+$/, '');
  if (head.length === size) return head;
  const tail = trimmed.slice(size).replace(/^-+/, '');
  return head + tail.slice(0, size - head.length);
}

/** A framework name as a domain fragment: its dot-separated parts made labels, empty ones dropped. */
export function dnsDomainFragment(text: string, label: (part: string) => string = dnsLabel): string {
  return text
    .split('.')
    .map(label)
    .filter((label) => label !== '')
    .join('.');
}

interface DnsPort {
  number: number;
  name?: string | undefined;
  /** `tcp` or `udp`; absent means both. */
  protocol?: string | undefined;
}

interface MesosDnsTask {
  name: string;
  /** `discovery.name`, which Mesos-DNS prefers to the task name. */
  discoveryName?: string | undefined;
  /** Host ports from the task's `ports` resources. */
  hostPorts: readonly number[];
  /** Ports from the task's discovery info; `null` when it has no discovery info. */
  discoveryPorts: readonly DnsPort[] | null;
}

interface SrvRecord {
  name: string;
  /** The host the record points at (a Mesos-DNS A name) and the port. */
  target: string;
  port: number;
}

export interface MesosDnsRecords {
  /** `<task>.<framework>.mesos`: the task's container IP if it has one, else its agent's. */
  a: string;
  /** `<task>.<framework>.slave.mesos`: the agent running the task. */
  agentA: string;
  srv: SrvRecord[];
}

function protocolsOf(protocol: string | undefined): string[] {
  const named = protocol?.trim().toLowerCase();
  return named ? [dnsLabel(named)].filter(Boolean) : ['tcp', 'udp'];
}

/** What Mesos-DNS reads of a task: its name, its discovery info if any, and the host ports it holds. */
export function mesosDnsTaskOf(
  name: string,
  discovery: DiscoverySummary | null,
  hostPorts: number[],
): MesosDnsTask {
  return {
    name,
    discoveryName: discovery?.name ?? undefined,
    hostPorts,
    discoveryPorts: discovery
      ? discovery.ports.map((port) => ({
          number: port.number,
          name: port.name ?? undefined,
          protocol: port.protocol ?? undefined,
        }))
      : null,
  };
}

/**
 * The Mesos-DNS records of a task in a framework, or null when the task or framework name leaves no label.
 * SRV records: for each host port, `_<task>._tcp|_udp.<framework>.slave.mesos` (and, without discovery
 * info, the same without `.slave`); for each discovery port, `_<task>._<protocol>.<framework>.mesos`, and
 * `_<port name>._<task>._<protocol>.<framework>.mesos` when the port is named.
 */
export function mesosDnsRecords(
  task: MesosDnsTask,
  frameworkName: string,
  domain: string = MESOS_DNS_DOMAIN,
): MesosDnsRecords | null {
  const taskLabel = dnsLabel(task.discoveryName || task.name);
  const framework = dnsDomainFragment(frameworkName);
  if (taskLabel === '' || framework === '') return null;
  const a = `${taskLabel}.${framework}.${domain}`;
  const agentA = `${taskLabel}.${framework}.slave.${domain}`;
  const srv: SrvRecord[] = [];
  const seen = new Set<string>();
  const add = (name: string, target: string, port: number) => {
    const key = `${name} ${target} ${port}`;
    if (seen.has(key)) return;
    seen.add(key);
    srv.push({ name, target, port });
  };
  for (const port of task.hostPorts) {
    for (const protocol of ['tcp', 'udp']) {
      add(`_${taskLabel}._${protocol}.${framework}.slave.${domain}`, agentA, port);
      if (task.discoveryPorts === null)
        add(`_${taskLabel}._${protocol}.${framework}.${domain}`, agentA, port);
    }
  }
  for (const port of task.discoveryPorts ?? []) {
    const portLabel = port.name ? dnsLabel(port.name) : '';
    for (const protocol of protocolsOf(port.protocol)) {
      add(`_${taskLabel}._${protocol}.${framework}.${domain}`, a, port.number);
      if (portLabel) add(`_${portLabel}._${taskLabel}._${protocol}.${framework}.${domain}`, a, port.number);
    }
  }
  return { a, agentA, srv };
}
