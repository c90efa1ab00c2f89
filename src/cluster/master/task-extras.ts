/**
 * What a framework can say about a task beyond its command and resources: labels, a Docker-style or
 * unified container, discovery info and a command health check. The local cluster renders them in the
 * task JSON exactly as Mesos does (`json(Task)`), but still runs every task as a plain process.
 */

export interface PortMappingSpec {
  containerPort: number;
  protocol?: 'tcp' | 'udp';
}

export type ContainerSpec =
  | {
      type: 'DOCKER';
      image: string;
      network: 'BRIDGE' | 'HOST';
      /** Host ports are the task's `ports` resources, taken in order. */
      portMappings?: PortMappingSpec[];
      volumes?: Array<{ containerPath: string; hostPath: string; mode: 'RW' | 'RO' }>;
    }
  | { type: 'MESOS'; image: string };

export interface DiscoverySpec {
  name: string;
  visibility?: 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
  /** Numbers are the task's host ports, taken in order. */
  ports?: Array<{ name: string; protocol: 'tcp' | 'udp' }>;
  labels?: Record<string, string>;
}

/** A COMMAND health check, run in the task's sandbox by the local cluster. */
export interface HealthCheckSpec {
  command: string;
  delaySeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  consecutiveFailures: number;
  gracePeriodSeconds: number;
}

export interface TaskExtrasSpec {
  labels?: Record<string, string>;
  container?: ContainerSpec;
  discovery?: DiscoverySpec;
  healthCheck?: HealthCheckSpec;
}

/** The extras of one launched task, resolved against its ports, as JSON plus what the cluster runs. */
export interface TaskExtras {
  json: {
    labels?: Array<{ key: string; value: string }>;
    container?: Record<string, unknown>;
    discovery?: Record<string, unknown>;
    health_check?: Record<string, unknown>;
  };
  healthCheck?: HealthCheckSpec;
  /** The container's own address on a Docker bridge network, when it has one. */
  containerIp?: string;
}

const labelsJson = (labels: Record<string, string>) =>
  Object.entries(labels).map(([key, value]) => ({ key, value }));

/**
 * Renders the extras of a task whose host ports are `hostPorts`. `bridgeIndex` numbers containers on the
 * Docker bridge so each gets its own 172.17.0.x address, as Docker assigns them.
 */
export function resolveTaskExtras(
  spec: TaskExtrasSpec,
  hostPorts: readonly number[],
  bridgeIndex: number,
): TaskExtras {
  const extras: TaskExtras = { json: {} };
  if (spec.labels) extras.json.labels = labelsJson(spec.labels);
  const container = spec.container;
  if (container?.type === 'DOCKER') {
    extras.json.container = {
      type: 'DOCKER',
      docker: {
        image: container.image,
        network: container.network,
        port_mappings: (container.portMappings ?? []).flatMap((mapping, index) => {
          const hostPort = hostPorts[index];
          return hostPort === undefined
            ? []
            : [
                {
                  host_port: hostPort,
                  container_port: mapping.containerPort,
                  protocol: mapping.protocol ?? 'tcp',
                },
              ];
        }),
        privileged: false,
        force_pull_image: false,
      },
      volumes: (container.volumes ?? []).map((volume) => ({
        container_path: volume.containerPath,
        host_path: volume.hostPath,
        mode: volume.mode,
      })),
    };
    if (container.network === 'BRIDGE') extras.containerIp = `172.17.0.${2 + (bridgeIndex % 250)}`;
  } else if (container?.type === 'MESOS') {
    extras.json.container = {
      type: 'MESOS',
      mesos: { image: { type: 'DOCKER', docker: { name: container.image } } },
    };
  }
  if (spec.discovery) {
    const { discovery } = spec;
    extras.json.discovery = {
      visibility: discovery.visibility ?? 'FRAMEWORK',
      name: discovery.name,
      ports: {
        ports: (discovery.ports ?? []).flatMap((port, index) => {
          const number = hostPorts[index];
          return number === undefined ? [] : [{ number, name: port.name, protocol: port.protocol }];
        }),
      },
      ...(discovery.labels ? { labels: { labels: labelsJson(discovery.labels) } } : {}),
    };
  }
  if (spec.healthCheck) {
    const check = spec.healthCheck;
    extras.healthCheck = check;
    extras.json.health_check = {
      type: 'COMMAND',
      command: { shell: true, value: check.command },
      delay_seconds: check.delaySeconds,
      interval_seconds: check.intervalSeconds,
      timeout_seconds: check.timeoutSeconds,
      consecutive_failures: check.consecutiveFailures,
      grace_period_seconds: check.gracePeriodSeconds,
    };
  }
  return extras;
}
