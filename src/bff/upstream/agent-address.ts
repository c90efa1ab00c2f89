import { isIPv4, isIPv6 } from 'node:net';
import type { Agent } from '../../mesos';
import { UpstreamError } from './upstream-error';

/** Where mesoscope reaches an agent: its base URL (`http://host:port`) and its libprocess id (`slave(1)`). */
export interface AgentAddress {
  base: string;
  processId: string;
}

/** A libprocess process id as agents use it: `slave(1)`, `agent`, `slave(12)`. */
const PROCESS_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}(\(\d{1,9}\))?$/;
const DNS_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
/** A last label a URL parser reads as a number (`1.2.3`, `0x7f`), turning a name into some IPv4 address. */
const NUMERIC_LABEL = /^(\d+|0x[0-9a-f]*)$/i;

/**
 * The address of an agent, from the master's state: the `ip:port` of its pid (`slave(1)@10.0.0.5:5051`, the
 * address the master itself uses), else its `hostname` and `port`. Both come from the cluster, so both are
 * parsed strictly: a DNS name, an IPv4 address or a bracketed IPv6 address, and a port from 1 to 65535;
 * anything else (a `/`, `?`, `#`, `@`, a space, userinfo, a second port) is refused with an error naming the
 * agent, so no value in the state can point mesoscope at another host or change the path or query it sends.
 */
export function agentAddress(agent: Pick<Agent, 'id' | 'pid' | 'hostname' | 'port'>): AgentAddress {
  const pid = agent.pid ?? '';
  const [what, value, address] =
    pid === ''
      ? (['hostname and port', `${agent.hostname}:${agent.port ?? ''}`, fromHostname(agent)] as const)
      : (['pid', pid, fromPid(pid)] as const);
  if (!address) {
    throw new UpstreamError(
      'malformed',
      `agent ${agent.id.slice(0, 200)} has a ${what} (${JSON.stringify(value.slice(0, 200))}) that is not a host and port; mesoscope does not contact it`,
    );
  }
  return address;
}

function fromPid(pid: string): AgentAddress | null {
  const at = pid.indexOf('@');
  const processId = pid.slice(0, Math.max(0, at));
  const hostPort = pid.slice(at + 1);
  const colon = hostPort.lastIndexOf(':');
  if (at <= 0 || colon <= 0 || !PROCESS_ID.test(processId)) return null;
  const base = baseUrl(urlHost(hostPort.slice(0, colon), true), portNumber(hostPort.slice(colon + 1)));
  return base === null ? null : { base, processId };
}

function fromHostname(agent: Pick<Agent, 'hostname' | 'port'>): AgentAddress | null {
  const port = agent.port === undefined ? null : portNumber(String(agent.port));
  const base = baseUrl(urlHost(agent.hostname, false), port);
  return base === null ? null : { base, processId: 'slave(1)' };
}

/** `host` as it goes into a URL, or null if it is not a DNS name or an IP address. */
function urlHost(host: string, bracketedOnly: boolean): string | null {
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    return isIPv6(inner) && !inner.includes('%') ? host : null;
  }
  // A pid spells IPv6 in brackets; the hostname field has its port apart, so a bare address is unambiguous.
  if (!bracketedOnly && isIPv6(host) && !host.includes('%')) return `[${host}]`;
  if (isIPv4(host)) return host;
  if (host.length === 0 || host.length > 253) return null;
  const labels = host.split('.');
  if (!labels.every((label) => DNS_LABEL.test(label))) return null;
  return NUMERIC_LABEL.test(labels[labels.length - 1] ?? '') ? null : host;
}

function portNumber(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The base URL, checked once more as a URL parser reads it: the same host, no path, query or userinfo. */
function baseUrl(host: string | null, port: number | null): string | null {
  if (host === null || port === null) return null;
  let url: URL;
  try {
    url = new URL(`http://${host}:${port}`);
  } catch {
    return null;
  }
  const sameHost = host.startsWith('[')
    ? isIPv6(url.hostname.slice(1, -1))
    : url.hostname === host.toLowerCase();
  if (!sameHost || url.pathname !== '/' || url.search || url.hash || url.username || url.password)
    return null;
  // The port spelled out: http's default (80) must stay 80 when requests are upgraded to https.
  return `http://${url.hostname}:${port}`;
}
