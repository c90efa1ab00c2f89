/**
 * Marathon 1.x app definitions: validation with Marathon's defaults and error paths, and the JSON keys Marathon
 * writes (strict clients reject any key they do not know, so nothing else is written).
 */
import { Problems } from './errors';

export type Json = Record<string, unknown>;

export interface PortDefinition {
  port: number;
  protocol: string;
  name?: string;
  labels?: Record<string, string>;
}

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
  outputFile?: string;
}

export interface HealthCheck {
  protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  ignoreHttp1xx?: boolean;
  delaySeconds: number;
}

/** The definition part of an app, with every default applied. */
export interface AppDefinition {
  id: string;
  cmd?: string;
  args?: string[];
  user?: string;
  env: Record<string, string>;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  executor: string;
  constraints: string[][];
  fetch: FetchUri[];
  storeUrls: string[];
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  container?: Json;
  healthChecks: HealthCheck[];
  dependencies: string[];
  upgradeStrategy: { minimumHealthCapacity: number; maximumOverCapacity: number };
  labels: Record<string, string>;
  acceptedResourceRoles?: string[];
  requirePorts: boolean;
  portDefinitions: PortDefinition[];
  killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  unreachableStrategy: Json | 'disabled';
  taskKillGracePeriodSeconds?: number;
  networks: Json[];
  role?: string;
}

/** The most instances one app may ask for here: more could never run on a local cluster. */
export const MAX_INSTANCES = 1000;

export const CONSTRAINT_OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS'];

const HEALTH_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'];

/** Every key of Marathon 1.x's app JSON: anything else in a request is an error. */
const APP_KEYS = new Set([
  'id',
  'cmd',
  'args',
  'user',
  'env',
  'instances',
  'cpus',
  'mem',
  'disk',
  'gpus',
  'executor',
  'constraints',
  'uris',
  'fetch',
  'storeUrls',
  'ports',
  'portDefinitions',
  'requirePorts',
  'backoffSeconds',
  'backoffFactor',
  'maxLaunchDelaySeconds',
  'container',
  'healthChecks',
  'readinessChecks',
  'dependencies',
  'upgradeStrategy',
  'labels',
  'acceptedResourceRoles',
  'ipAddress',
  'residency',
  'secrets',
  'taskKillGracePeriodSeconds',
  'unreachableStrategy',
  'killSelection',
  'networks',
  'role',
  'check',
  'executorResources',
  'tty',
  'version',
  'versionInfo',
  // Read-only keys a client may send back as it read them: ignored.
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'taskStats',
  'readinessCheckResults',
  'taskRateLimit',
]);

const SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;
const SEGMENT_RULE =
  "must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'";

/** An absolute path id (`/group/app`) from what a client wrote, relative to `base`; undefined if invalid. */
export function absoluteId(raw: string, base = '/'): string | undefined {
  const start = raw.startsWith('/') ? [] : base.split('/').filter(Boolean);
  const parts = [...start];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    // `..` is never accepted: an id names a place, it does not climb out of its group.
    if (segment === '..' || !SEGMENT.test(segment)) return undefined;
    parts.push(segment);
  }
  return `/${parts.join('/')}`;
}

export function idProblem(problems: Problems, path: string, raw: unknown, base = '/'): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    problems.add(path, 'error.path.missing');
    return undefined;
  }
  const id = absoluteId(raw, base);
  if (!id || id === '/') {
    problems.add(path, SEGMENT_RULE);
    return undefined;
  }
  return id;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Validates an app definition. `base` is the app being updated (a PUT changes only the keys it names, as
 * Marathon's partial update does); `parent` is the group a relative id is read in.
 */
export function parseApp(
  input: unknown,
  options: { base?: AppDefinition; parent?: string; path?: string } = {},
) {
  const problems = new Problems();
  const at = (key: string) => `${options.path ?? ''}/${key}`;
  if (!isObject(input)) {
    problems.add(options.path || '/', 'error.expected.jsobject');
    problems.throwIfAny();
    throw new Error('unreachable');
  }
  for (const key of Object.keys(input)) {
    if (!APP_KEYS.has(key)) problems.add(at(key), 'error.unknown.property');
  }
  const base = options.base;
  const id =
    base && input.id === undefined ? base.id : idProblem(problems, at('id'), input.id, options.parent);
  const has = (key: string) => input[key] !== undefined && input[key] !== null;

  const number = (key: string, fallback: number, min: number, integer = false, max = Infinity): number => {
    if (!has(key)) return (base?.[key as keyof AppDefinition] as number | undefined) ?? fallback;
    const value = input[key];
    if (!isNumber(value) || (integer && !Number.isInteger(value))) {
      problems.add(at(key), integer ? 'error.expected.intnumber' : 'error.expected.jsnumber');
      return fallback;
    }
    if (value < min) problems.add(at(key), `got ${value}, expected ${min} or more`);
    if (value > max) problems.add(at(key), `got ${value}, expected ${max} or less`);
    return value;
  };
  const stringArray = (key: string): string[] | undefined => {
    if (!has(key)) return undefined;
    const value = input[key];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      problems.add(at(key), 'error.expected.jsarray');
      return undefined;
    }
    return value as string[];
  };
  const stringMap = (key: string): Record<string, string> | undefined => {
    if (!has(key)) return undefined;
    const value = input[key];
    if (!isObject(value)) {
      problems.add(at(key), 'error.expected.jsobject');
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
      else problems.add(at(`${key}/${k}`), 'error.expected.jsstring');
    }
    return out;
  };

  const cmd = has('cmd') ? input.cmd : base?.cmd;
  if (cmd !== undefined && (typeof cmd !== 'string' || cmd.length === 0)) {
    problems.add(at('cmd'), 'error.minLength');
  }
  const args = stringArray('args') ?? (has('cmd') ? undefined : base?.args);
  const container = has('container') ? input.container : base?.container;
  if (container !== undefined && !isObject(container))
    problems.add(at('container'), 'error.expected.jsobject');
  if (cmd !== undefined && args !== undefined && args.length > 0) {
    problems.add(
      options.path || '/',
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
    );
  }

  const instances = number('instances', 1, 0, true, MAX_INSTANCES);
  const portDefinitions = parsePorts(input, base, problems, at);
  const healthChecks = has('healthChecks')
    ? parseHealthChecks(input.healthChecks, portDefinitions.length, problems, at)
    : (base?.healthChecks ?? []);
  const constraints = has('constraints')
    ? parseConstraints(input.constraints, problems, at)
    : (base?.constraints ?? []);
  const fetch = parseFetch(input, base, problems, at);
  const upgradeStrategy = has('upgradeStrategy')
    ? parseUpgradeStrategy(input.upgradeStrategy, problems, at)
    : (base?.upgradeStrategy ?? { minimumHealthCapacity: 1, maximumOverCapacity: 1 });
  const dependencies = (stringArray('dependencies') ?? base?.dependencies ?? []).map(
    (d, i) => idProblem(problems, at(`dependencies(${i})`), d, parentOf(id ?? '/')) ?? d,
  );
  const killSelection = has('killSelection')
    ? input.killSelection
    : (base?.killSelection ?? 'YOUNGEST_FIRST');
  if (killSelection !== 'YOUNGEST_FIRST' && killSelection !== 'OLDEST_FIRST') {
    problems.add(at('killSelection'), 'error.expected.validenumvalue');
  }
  const env = stringMap('env') ?? base?.env ?? {};
  const labels = stringMap('labels') ?? base?.labels ?? {};
  const user = has('user') ? input.user : base?.user;
  if (user !== undefined && typeof user !== 'string') problems.add(at('user'), 'error.expected.jsstring');
  const role = has('role') ? input.role : base?.role;
  if (role !== undefined && typeof role !== 'string') problems.add(at('role'), 'error.expected.jsstring');
  const executor = has('executor') ? input.executor : (base?.executor ?? '');
  if (typeof executor !== 'string') problems.add(at('executor'), 'error.expected.jsstring');
  const requirePorts = has('requirePorts') ? input.requirePorts : (base?.requirePorts ?? false);
  if (typeof requirePorts !== 'boolean') problems.add(at('requirePorts'), 'error.expected.jsboolean');
  if (cmd === undefined && (args === undefined || args.length === 0) && container === undefined) {
    problems.add(
      options.path || '/',
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
    );
  }
  const definition: AppDefinition = {
    id: id ?? '/',
    ...(typeof cmd === 'string' ? { cmd } : {}),
    ...(args !== undefined ? { args } : {}),
    ...(typeof user === 'string' ? { user } : {}),
    env,
    instances,
    cpus: number('cpus', 1, 0.001),
    mem: number('mem', 128, 0),
    disk: number('disk', 0, 0),
    gpus: number('gpus', 0, 0, true),
    executor: typeof executor === 'string' ? executor : '',
    constraints,
    fetch,
    storeUrls: stringArray('storeUrls') ?? base?.storeUrls ?? [],
    backoffSeconds: number('backoffSeconds', 1, 0),
    backoffFactor: number('backoffFactor', 1.15, 1),
    maxLaunchDelaySeconds: number('maxLaunchDelaySeconds', 300, 0),
    ...(isObject(container) ? { container: normalizeContainer(container) } : {}),
    healthChecks,
    dependencies,
    upgradeStrategy,
    labels,
    ...((stringArray('acceptedResourceRoles') ?? base?.acceptedResourceRoles)
      ? { acceptedResourceRoles: stringArray('acceptedResourceRoles') ?? base?.acceptedResourceRoles }
      : {}),
    requirePorts: requirePorts === true,
    portDefinitions,
    killSelection: killSelection === 'OLDEST_FIRST' ? 'OLDEST_FIRST' : 'YOUNGEST_FIRST',
    unreachableStrategy: has('unreachableStrategy')
      ? (input.unreachableStrategy as Json)
      : (base?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }),
    ...(has('taskKillGracePeriodSeconds') || base?.taskKillGracePeriodSeconds !== undefined
      ? { taskKillGracePeriodSeconds: number('taskKillGracePeriodSeconds', 3, 0) }
      : {}),
    networks:
      has('networks') && Array.isArray(input.networks)
        ? (input.networks as Json[])
        : (base?.networks ?? [{ mode: 'host' }]),
    ...(typeof role === 'string' ? { role } : {}),
  };
  problems.throwIfAny();
  return definition;
}

export function parentOf(id: string): string {
  const cut = id.lastIndexOf('/');
  return cut <= 0 ? '/' : id.slice(0, cut);
}

function parsePorts(
  input: Json,
  base: AppDefinition | undefined,
  problems: Problems,
  at: (key: string) => string,
): PortDefinition[] {
  if (Array.isArray(input.portDefinitions)) {
    return input.portDefinitions.map((raw, i) => {
      const path = at(`portDefinitions(${i})`);
      if (!isObject(raw)) {
        problems.add(path, 'error.expected.jsobject');
        return { port: 0, protocol: 'tcp' };
      }
      const port = raw.port ?? 0;
      if (!isNumber(port) || !Number.isInteger(port) || port < 0 || port > 65535) {
        problems.add(`${path}/port`, `got ${String(port)}, expected 0 to 65535`);
      }
      return {
        port: isNumber(port) ? port : 0,
        protocol: typeof raw.protocol === 'string' ? raw.protocol : 'tcp',
        ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
        ...(isObject(raw.labels) ? { labels: raw.labels as Record<string, string> } : {}),
      };
    });
  }
  if (Array.isArray(input.ports)) {
    return input.ports.map((port, i) => {
      if (!isNumber(port) || !Number.isInteger(port) || port < 0 || port > 65535) {
        problems.add(at(`ports(${i})`), `got ${String(port)}, expected 0 to 65535`);
      }
      return { port: isNumber(port) ? port : 0, protocol: 'tcp' };
    });
  }
  return base?.portDefinitions ?? [{ port: 0, protocol: 'tcp', name: 'default' }];
}

function parseHealthChecks(
  raw: unknown,
  portCount: number,
  problems: Problems,
  at: (key: string) => string,
): HealthCheck[] {
  if (!Array.isArray(raw)) {
    problems.add(at('healthChecks'), 'error.expected.jsarray');
    return [];
  }
  return raw.map((check, i) => {
    const path = at(`healthChecks(${i})`);
    const c = isObject(check) ? check : {};
    const protocol = typeof c.protocol === 'string' ? c.protocol : 'HTTP';
    if (!HEALTH_PROTOCOLS.includes(protocol))
      problems.add(`${path}/protocol`, 'error.expected.validenumvalue');
    const num = (key: string, fallback: number) => {
      const v = c[key];
      if (v === undefined) return fallback;
      if (!isNumber(v) || v < 0) {
        problems.add(`${path}/${key}`, 'error.expected.jsnumber');
        return fallback;
      }
      return v;
    };
    const out: HealthCheck = {
      protocol: protocol as HealthCheck['protocol'],
      gracePeriodSeconds: num('gracePeriodSeconds', 300),
      intervalSeconds: num('intervalSeconds', 60),
      timeoutSeconds: num('timeoutSeconds', 20),
      maxConsecutiveFailures: num('maxConsecutiveFailures', 3),
      delaySeconds: num('delaySeconds', 15),
    };
    if (protocol === 'COMMAND') {
      const command =
        typeof c.command === 'string' ? c.command : isObject(c.command) ? c.command.value : undefined;
      if (typeof command !== 'string' || command === '')
        problems.add(path, 'Command health checks need a command');
      else out.command = { value: command };
      return out;
    }
    if (c.port !== undefined) {
      const port = num('port', 0);
      out.port = port;
    } else {
      out.portIndex = num('portIndex', 0);
      if (out.portIndex >= portCount) {
        problems.add(
          path,
          'Health check port indices must address an element of the ports array or container port mappings.',
        );
      }
    }
    if (protocol.includes('HTTP')) {
      out.path = typeof c.path === 'string' ? c.path : '/';
      if (protocol === 'HTTP' || protocol === 'HTTPS') out.ignoreHttp1xx = c.ignoreHttp1xx === true;
    }
    return out;
  });
}

function parseConstraints(raw: unknown, problems: Problems, at: (key: string) => string): string[][] {
  if (!Array.isArray(raw)) {
    problems.add(at('constraints'), 'error.expected.jsarray');
    return [];
  }
  return raw.map((c, i) => {
    const path = at(`constraints(${i})`);
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || c.some((v) => typeof v !== 'string')) {
      problems.add(path, 'Each constraint must have either 2 or 3 fields');
      return [];
    }
    const [field, operator, value] = c as string[];
    if (!CONSTRAINT_OPERATORS.includes(operator ?? '')) {
      problems.add(
        path,
        `Constraint operator must be one of the following: [${CONSTRAINT_OPERATORS.join(', ')}]`,
      );
    } else if (operator === 'LIKE' || operator === 'UNLIKE') {
      if (value === undefined) problems.add(path, 'A regular expression value must be provided');
      else {
        try {
          new RegExp(`^(?:${value})$`);
        } catch {
          problems.add(path, `'${value}' is not a valid regular expression`);
        }
      }
    } else if (operator === 'MAX_PER' || (operator === 'GROUP_BY' && value !== undefined)) {
      if (!/^\d+$/.test(value ?? '')) problems.add(path, 'Value must be a positive integer');
    } else if (operator === 'IS' && value === undefined) {
      problems.add(path, 'IS requires a value');
    } else if (operator === 'UNIQUE' && value !== undefined && value !== '') {
      problems.add(path, 'Value specified but not used');
    }
    return [field ?? '', operator ?? '', ...(value !== undefined ? [value] : [])];
  });
}

function parseFetch(
  input: Json,
  base: AppDefinition | undefined,
  problems: Problems,
  at: (key: string) => string,
): FetchUri[] {
  const fromUri = (uri: string): FetchUri => ({
    uri,
    extract: /\.(tgz|tar\.gz|tar\.bz2|tar\.xz|zip|txz|tbz2|tar)$/i.test(uri),
    executable: false,
    cache: false,
  });
  if (Array.isArray(input.fetch)) {
    return input.fetch.map((raw, i) => {
      if (!isObject(raw) || typeof raw.uri !== 'string') {
        problems.add(at(`fetch(${i})/uri`), 'error.path.missing');
        return fromUri('');
      }
      return {
        uri: raw.uri,
        extract: raw.extract === undefined ? fromUri(raw.uri).extract : raw.extract === true,
        executable: raw.executable === true,
        cache: raw.cache === true,
        ...(typeof raw.destPath === 'string' ? { outputFile: raw.destPath } : {}),
        ...(typeof raw.outputFile === 'string' ? { outputFile: raw.outputFile } : {}),
      };
    });
  }
  if (Array.isArray(input.uris)) {
    return input.uris.map((uri, i) => {
      if (typeof uri !== 'string') problems.add(at(`uris(${i})`), 'error.expected.jsstring');
      return fromUri(String(uri));
    });
  }
  return base?.fetch ?? [];
}

function parseUpgradeStrategy(
  raw: unknown,
  problems: Problems,
  at: (key: string) => string,
): AppDefinition['upgradeStrategy'] {
  const s = isObject(raw) ? raw : {};
  const read = (key: string, fallback: number) => {
    const v = s[key] ?? fallback;
    if (!isNumber(v) || v < 0 || v > 1) {
      problems.add(at(`upgradeStrategy/${key}`), `got ${String(v)}, expected between 0.0 and 1.0`);
      return fallback;
    }
    return v;
  };
  return {
    minimumHealthCapacity: read('minimumHealthCapacity', 1),
    maximumOverCapacity: read('maximumOverCapacity', 1),
  };
}

/** Marathon records a Docker container with its defaults filled in. */
function normalizeContainer(container: Json): Json {
  const type = typeof container.type === 'string' ? container.type : 'DOCKER';
  const out: Json = { type, volumes: Array.isArray(container.volumes) ? container.volumes : [] };
  if (isObject(container.docker)) {
    out.docker = {
      forcePullImage: false,
      privileged: false,
      parameters: [],
      ...container.docker,
    };
  }
  if (Array.isArray(container.portMappings)) out.portMappings = container.portMappings;
  return out;
}

/** The definition keys Marathon writes, in its order. */
export function definitionJson(app: AppDefinition): Json {
  return {
    id: app.id,
    ...(app.cmd !== undefined ? { cmd: app.cmd } : {}),
    ...(app.args !== undefined ? { args: app.args } : {}),
    ...(app.user !== undefined ? { user: app.user } : {}),
    ...(app.acceptedResourceRoles ? { acceptedResourceRoles: app.acceptedResourceRoles } : {}),
    backoffFactor: app.backoffFactor,
    backoffSeconds: app.backoffSeconds,
    constraints: app.constraints,
    ...(app.container ? { container: app.container } : {}),
    cpus: app.cpus,
    dependencies: app.dependencies,
    disk: app.disk,
    env: app.env,
    executor: app.executor,
    fetch: app.fetch,
    healthChecks: app.healthChecks.map(healthCheckJson),
    instances: app.instances,
    labels: app.labels,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    mem: app.mem,
    gpus: app.gpus,
    networks: app.networks,
    portDefinitions: app.portDefinitions,
    requirePorts: app.requirePorts,
    upgradeStrategy: app.upgradeStrategy,
    killSelection: app.killSelection,
    unreachableStrategy: app.unreachableStrategy,
    ...(app.taskKillGracePeriodSeconds !== undefined
      ? { taskKillGracePeriodSeconds: app.taskKillGracePeriodSeconds }
      : {}),
    ...(app.role !== undefined ? { role: app.role } : {}),
  };
}

function healthCheckJson(check: HealthCheck): Json {
  const { delaySeconds, ...rest } = check;
  return check.protocol.startsWith('MESOS_') ? { ...rest, delaySeconds } : rest;
}
