/**
 * What a task page shows beyond the task tables: its container, health check, discovery info, ports and IP
 * addresses, read from the v0 task JSON (`json(Task)`, which renders these protobufs field by field).
 * Everything here is tolerant: a field of an unexpected shape is left out, never fatal.
 */
import { z } from 'zod';
import type { Label } from './schema-utils';
import { LabelsSchema } from './schema-utils';

const str = () => z.string().optional().catch(undefined);
const num = () => z.number().optional().catch(undefined);
const bool = () => z.boolean().optional().catch(undefined);
/** An array whose unreadable items become `undefined` instead of failing the whole array. */
const list = <T extends z.ZodType>(item: T) => z.array(item.optional().catch(undefined)).catch([]);

const PortMappingSchema = z.looseObject({
  host_port: num(),
  container_port: num(),
  protocol: str(),
});

const IpAddressSchema = z.looseObject({ ip_address: str(), protocol: str() });

const NetworkInfoSchema = z.looseObject({
  name: str(),
  /** Mesos before 0.26 wrote one address here. */
  ip_address: str(),
  ip_addresses: list(IpAddressSchema).optional(),
  groups: z.array(z.string()).optional().catch(undefined),
  port_mappings: list(PortMappingSchema).optional(),
});

const VolumeSchema = z.looseObject({
  container_path: str(),
  host_path: str(),
  mode: str(),
  image: z.unknown().optional(),
  source: z.looseObject({ type: str() }).optional().catch(undefined),
});

const ContainerInfoSchema = z.looseObject({
  type: str(),
  hostname: str(),
  volumes: list(VolumeSchema).optional(),
  docker: z
    .looseObject({
      image: str(),
      network: str(),
      privileged: bool(),
      force_pull_image: bool(),
      port_mappings: list(PortMappingSchema).optional(),
      parameters: list(z.looseObject({ key: z.string(), value: z.string().optional() })).optional(),
    })
    .optional()
    .catch(undefined),
  mesos: z
    .looseObject({
      image: z
        .looseObject({
          type: str(),
          docker: z.looseObject({ name: str() }).optional().catch(undefined),
          appc: z.looseObject({ name: str() }).optional().catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
  network_infos: list(NetworkInfoSchema).optional(),
});

const HealthCheckSchema = z.looseObject({
  /** COMMAND, HTTP or TCP; absent before Mesos 1.1, where the present sub-message says which. */
  type: str(),
  command: z.looseObject({ value: str(), shell: bool() }).optional().catch(undefined),
  http: z
    .looseObject({ scheme: str(), port: num(), path: str(), protocol: str() })
    .optional()
    .catch(undefined),
  tcp: z.looseObject({ port: num() }).optional().catch(undefined),
  delay_seconds: num(),
  interval_seconds: num(),
  timeout_seconds: num(),
  consecutive_failures: num(),
  grace_period_seconds: num(),
});

const DiscoveryPortSchema = z.looseObject({
  number: z.number(),
  name: str(),
  protocol: str(),
  visibility: str(),
  labels: LabelsSchema.optional().catch(undefined),
});

const DiscoveryInfoSchema = z.looseObject({
  visibility: str(),
  name: str(),
  environment: str(),
  location: str(),
  version: str(),
  /** `Ports` renders as `{ports: [...]}`. */
  ports: z
    .looseObject({ ports: list(DiscoveryPortSchema).default([]) })
    .optional()
    .catch(undefined),
  labels: LabelsSchema.optional().catch(undefined),
});

interface PortMapping {
  hostPort: number | null;
  containerPort: number | null;
  protocol: string | null;
}

export interface ContainerSummary {
  /** DOCKER or MESOS. */
  type: string | null;
  /** The Docker image, or the image of a Mesos (unified) container. */
  image: string | null;
  /** Docker network mode (HOST, BRIDGE, USER, NONE), or the names of the container's networks. */
  network: string | null;
  privileged: boolean | null;
  forcePullImage: boolean | null;
  hostname: string | null;
  portMappings: PortMapping[];
  volumes: Array<{
    containerPath: string;
    hostPath: string | null;
    mode: string | null;
    source: string | null;
  }>;
  parameters: Array<{ key: string; value: string }>;
}

export interface HealthCheckSummary {
  type: string;
  /** What is checked: the command, `http://:port/path`, or `tcp :port`. */
  target: string;
  delaySeconds: number | null;
  intervalSeconds: number | null;
  timeoutSeconds: number | null;
  consecutiveFailures: number | null;
  gracePeriodSeconds: number | null;
}

interface DiscoveryPort {
  number: number;
  name: string | null;
  protocol: string | null;
  visibility: string | null;
  labels: Label[];
}

export interface DiscoverySummary {
  name: string | null;
  visibility: string | null;
  environment: string | null;
  location: string | null;
  version: string | null;
  ports: DiscoveryPort[];
  labels: Label[];
}

export interface TaskIpAddress {
  ip: string;
  protocol: string | null;
  /** The network's name (CNI), when Mesos reports one. */
  network: string | null;
}

const nil = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function toPortMappings(
  mappings: ReadonlyArray<z.output<typeof PortMappingSchema> | undefined> | undefined,
): PortMapping[] {
  return (mappings ?? []).flatMap((m) =>
    m
      ? [{ hostPort: nil(m.host_port), containerPort: nil(m.container_port), protocol: nil(m.protocol) }]
      : [],
  );
}

/** The task's container (type, image, network, port mappings, volumes), or null when it has none. */
export function containerSummary(container: unknown): ContainerSummary | null {
  if (container === undefined || container === null) return null;
  const parsed = ContainerInfoSchema.safeParse(container);
  if (!parsed.success) return null;
  const c = parsed.data;
  const networks = (c.network_infos ?? []).flatMap((n) => (n?.name ? [n.name] : []));
  const image = c.docker?.image ?? c.mesos?.image?.docker?.name ?? c.mesos?.image?.appc?.name ?? null;
  return {
    type: nil(c.type),
    image,
    network: c.docker?.network ?? (networks.length > 0 ? networks.join(', ') : null),
    privileged: nil(c.docker?.privileged),
    forcePullImage: nil(c.docker?.force_pull_image),
    hostname: nil(c.hostname),
    portMappings: [
      ...toPortMappings(c.docker?.port_mappings),
      ...(c.network_infos ?? []).flatMap((n) => toPortMappings(n?.port_mappings)),
    ],
    volumes: (c.volumes ?? []).flatMap((v) =>
      v
        ? [
            {
              containerPath: v.container_path ?? '',
              hostPath: nil(v.host_path),
              mode: nil(v.mode),
              source: nil(v.source?.type),
            },
          ]
        : [],
    ),
    parameters: (c.docker?.parameters ?? []).flatMap((p) =>
      p ? [{ key: p.key, value: p.value ?? '' }] : [],
    ),
  };
}

/** The task's health check, or null when it has none. */
export function healthCheckSummary(healthCheck: unknown): HealthCheckSummary | null {
  if (healthCheck === undefined || healthCheck === null) return null;
  const parsed = HealthCheckSchema.safeParse(healthCheck);
  if (!parsed.success) return null;
  const h = parsed.data;
  const type = h.type ?? (h.http ? 'HTTP' : h.tcp ? 'TCP' : 'COMMAND');
  let target = '';
  if (type === 'HTTP' && h.http) {
    const scheme = h.http.scheme ?? 'http';
    target = `${scheme}://:${h.http.port ?? '?'}${h.http.path ?? '/'}`;
  } else if (type === 'TCP' && h.tcp) {
    target = `tcp :${h.tcp.port ?? '?'}`;
  } else if (h.command?.value !== undefined) {
    target = h.command.value;
  }
  return {
    type,
    target,
    delaySeconds: nil(h.delay_seconds),
    intervalSeconds: nil(h.interval_seconds),
    timeoutSeconds: nil(h.timeout_seconds),
    consecutiveFailures: nil(h.consecutive_failures),
    gracePeriodSeconds: nil(h.grace_period_seconds),
  };
}

/** The task's discovery info, or null when it has none. */
export function discoverySummary(discovery: unknown): DiscoverySummary | null {
  if (discovery === undefined || discovery === null) return null;
  const parsed = DiscoveryInfoSchema.safeParse(discovery);
  if (!parsed.success) return null;
  const d = parsed.data;
  return {
    name: nil(d.name),
    visibility: nil(d.visibility),
    environment: nil(d.environment),
    location: nil(d.location),
    version: nil(d.version),
    ports: (d.ports?.ports ?? []).flatMap((p) =>
      p
        ? [
            {
              number: p.number,
              name: nil(p.name),
              protocol: nil(p.protocol),
              visibility: nil(p.visibility),
              labels: p.labels ?? [],
            },
          ]
        : [],
    ),
    labels: d.labels ?? [],
  };
}

const MAX_RANGE_PORTS = 1_000;

/**
 * Parses a v0 ranges value such as `"[31000-31001, 31005-31005]"` into `[begin, end]` pairs; anything
 * unreadable is skipped.
 */
export function parseRanges(text: unknown): Array<[number, number]> {
  if (typeof text !== 'string') return [];
  const out: Array<[number, number]> = [];
  for (const match of text.matchAll(/(\d+)\s*-\s*(\d+)/g)) {
    const begin = Number(match[1]);
    const end = Number(match[2]);
    if (Number.isSafeInteger(begin) && Number.isSafeInteger(end) && begin <= end) out.push([begin, end]);
  }
  return out;
}

/** The ports in a task's `ports` resource (at most 1,000: a task never holds more in practice). */
export function taskHostPorts(resources: Record<string, unknown>): number[] {
  const ports: number[] = [];
  for (const [begin, end] of parseRanges(resources['ports'])) {
    for (let port = begin; port <= end && ports.length < MAX_RANGE_PORTS; port += 1) ports.push(port);
  }
  return ports;
}

const StatusNetworkSchema = z.looseObject({
  labels: LabelsSchema.optional().catch(undefined),
  container_status: z
    .looseObject({ network_infos: list(NetworkInfoSchema).optional() })
    .optional()
    .catch(undefined),
});

/** Status labels through which Docker and old Mesos containerizers reported the container's IP. */
const IP_LABELS = ['Docker.NetworkSettings.IPAddress', 'MesosContainerizer.NetworkSettings.IPAddress'];

/**
 * The task's IP addresses, from the latest status that reports any: `container_status.network_infos`
 * (`ip_addresses[]`, or the older single `ip_address`), else the IP labels older executors set.
 */
export function taskIpAddresses(statuses: readonly unknown[]): TaskIpAddress[] {
  for (let index = statuses.length - 1; index >= 0; index -= 1) {
    const parsed = StatusNetworkSchema.safeParse(statuses[index]);
    if (!parsed.success) continue;
    const found: TaskIpAddress[] = [];
    const seen = new Set<string>();
    const add = (ip: string | undefined, protocol: string | undefined, network: string | undefined) => {
      if (!ip || seen.has(ip)) return;
      seen.add(ip);
      found.push({ ip, protocol: nil(protocol), network: nil(network) });
    };
    for (const info of parsed.data.container_status?.network_infos ?? []) {
      if (!info) continue;
      for (const address of info.ip_addresses ?? []) add(address?.ip_address, address?.protocol, info.name);
      add(info.ip_address, undefined, info.name);
    }
    for (const label of parsed.data.labels ?? []) {
      if (IP_LABELS.includes(label.key)) add(label.value, undefined, undefined);
    }
    if (found.length > 0) return found;
  }
  return [];
}
