import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { TrustedProxies, TrustedProxyError } from './plugins/access-control';
import { normalizeHostName } from './plugins/host-check';
import { DEFAULT_RATE_LIMITS } from './plugins/rate-limits';
import type { RateLimits } from './plugins/rate-limits';
import { CredentialsError, parseCredentials } from './upstream/credentials';
import type { MesosCredentials } from './upstream/credentials';
import {
  MasterSourceError,
  normalizeMasterUrl as normalizeUrl,
  parseMasterSource,
} from './upstream/master-source';
import type { MasterSource } from './upstream/master-source';
import { UPSTREAM_TIMEOUT_MS } from './poll-policy';
import { formatBytes, MAX_UPSTREAM_BODY } from './upstream/body-limit';
import { parseMesosDnsUrl } from './upstream/mesos-dns-client';

/** How mesoscope reaches Mesos: where the masters are, credentials, TLS and timeouts (see docs/real-clusters.md). */
export interface UpstreamConfig {
  /** `--master` / MESOS_MASTER; null starts the embedded local cluster. */
  source: MasterSource | null;
  /** MESOS_CREDENTIALS (principal:secret or JSON); `credentialsFile` wins when both are given. */
  credentials: MesosCredentials | null;
  /** `--credentials-file` / MESOS_CREDENTIALS_FILE, read at start. */
  credentialsFile: string | null;
  /** `--ca-file` / MESOS_CA_FILE: PEM bundle of the CAs that sign the masters' and agents' certificates. */
  caFile: string | null;
  /** `--cert-file`, `--key-file` / MESOS_CERT_FILE, MESOS_KEY_FILE: a client certificate, when Mesos asks. */
  certFile: string | null;
  keyFile: string | null;
  /** `--marathon` / MESOSCOPE_MARATHON: Marathon base URLs (more are found in the cluster). */
  marathons: string[];
  /** `--marathon-credentials-file`: credentials sent to the configured Marathons only. */
  marathonCredentialsFile: string | null;
  /** `--upstream-timeout`: time allowed for each call to Mesos. */
  timeoutMs: number;
  /** `--max-upstream-body`: the largest answer read from Mesos, in bytes. */
  maxBodyBytes: number;
}

export interface TaskStoreConfig {
  /** `sqlite` (in the data directory), `off`, or a PostgreSQL URL. */
  where: string;
  retentionMs: number;
  maxBytes: number | null;
}

/** Who may use the dashboard; files are read at start by server.ts. */
export type AccessConfig =
  | { kind: 'open' }
  | { kind: 'htpasswd'; file: string }
  | { kind: 'proxy-header'; header: string; trusted: TrustedProxies };

export interface ServerConfig {
  port: number;
  host: string;
  /** `--public-url`: where people open mesoscope (behind a proxy); its host name is accepted as Host. */
  publicUrl: string | null;
  /** Host names accepted besides loopback and the bind address: `--public-url`'s and `--allowed-hosts`. */
  allowedHosts: string[];
  upstream: UpstreamConfig;
  pollIntervalMs: number | undefined;
  agents: number;
  /** Local-cluster scenario name (checked by the cluster, which lists the valid ones). */
  scenario: string;
  /** `--cluster-file`: the local cluster as a cluster file describes it (agents, roles, services, apps, jobs). */
  clusterFile: string | null;
  /** `--ready-file`: written once the dashboard listens, with the addresses of it and the local cluster's parts. */
  readyFile: string | null;
  /** Masters in the embedded local cluster (`--masters`; more than one: HA, one leads). */
  localMasters: number;
  /** `--zk`: the local cluster's masters register in this ZooKeeper, and mesoscope finds the leader there. */
  localZk: string | null;
  /** `--mesos-dns`: the Mesos-DNS HTTP API the task page asks; null: the local cluster's, or none. */
  mesosDns: string | null;
  /** `--max-completed-tasks-per-framework`: the local master forgets older ended tasks, as Mesos does. */
  localMaxCompletedTasks: number;
  /** Where mesoscope keeps data across restarts (the cluster history), relative to the working directory. */
  dataDir: string;
  /** `--task-store`, `--task-retention`, `--task-store-max-bytes`: the record of every task. */
  taskStore: TaskStoreConfig;
  access: AccessConfig;
  /** `--allow-operations`: who may send cluster writes (operators null: every signed-in user); null: read-only. */
  operations: { operators: string[] | null } | null;
  rateLimits: RateLimits;
  logLevel: string;
  /** `pretty` for people at a terminal, `json` for log shippers; `auto` picks by whether stdout is a terminal. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** How long a graceful shutdown waits for requests in flight before it stops anyway. */
  shutdownTimeoutMs: number;
  /** `--config`: the JSON file the values not given as flags or environment variables came from. */
  configFile: string | null;
  help: boolean;
}

/**
 * Every option, in one table: its flag, environment variable, config-file key (the flag's name) and help.
 * A value comes from the flag, else the environment variable, else the config file, else the default.
 */
const OPTIONS = [
  { name: 'port', env: 'PORT', arg: 'N', help: 'port to serve the dashboard on', fallback: '5050' },
  {
    name: 'host',
    env: 'HOST',
    arg: 'ADDR',
    help: 'address to listen on (anything but loopback opens every sandbox to that network)',
    fallback: '127.0.0.1',
  },
  {
    name: 'public-url',
    env: 'MESOSCOPE_PUBLIC_URL',
    arg: 'URL',
    help: 'the URL people open mesoscope at, e.g. behind a proxy (its host name is accepted as Host)',
  },
  {
    name: 'allowed-hosts',
    env: 'MESOSCOPE_ALLOWED_HOSTS',
    arg: 'NAMES',
    help: [
      'other host names mesoscope is reached as (comma-separated); requests naming any other',
      'Host than these, localhost and the bind address get 421 (DNS rebinding)',
    ],
  },
  {
    name: 'master',
    env: 'MESOS_MASTER',
    arg: 'SOURCE',
    help: [
      'the Mesos masters, one of:',
      '  http(s)://host:port[,http(s)://host:port...]  mesoscope follows the leader',
      "  zk://host:2181[,host:2181]/mesos              Mesos's ZooKeeper group",
      '  https://dcos.example.com/mesos                a proxy that reaches the leader',
      'without it an embedded local cluster starts and mesoscope shows that',
    ],
  },
  {
    name: 'credentials-file',
    env: 'MESOS_CREDENTIALS_FILE',
    arg: 'F',
    help: [
      'HTTP basic credentials for Mesos: principal:secret, "principal secret" or JSON',
      '(or the credentials themselves in MESOS_CREDENTIALS, environment only)',
    ],
  },
  {
    name: 'ca-file',
    env: 'MESOS_CA_FILE',
    arg: 'F',
    help: 'PEM CA bundle trusted for https masters and agents',
  },
  {
    name: 'cert-file',
    env: 'MESOS_CERT_FILE',
    arg: 'F',
    help: 'client certificate (PEM) for masters that ask for one',
  },
  { name: 'key-file', env: 'MESOS_KEY_FILE', arg: 'F', help: 'its private key (PEM)' },
  {
    name: 'marathon',
    env: 'MESOSCOPE_MARATHON',
    arg: 'URLS',
    help: [
      'Marathons to show apps, groups and deployments of: http(s)://host:port[,...] (each one Marathon);',
      'frameworks whose web UI answers /v2/info as Marathon are found without it',
    ],
  },
  {
    name: 'marathon-credentials-file',
    env: 'MESOSCOPE_MARATHON_CREDENTIALS_FILE',
    arg: 'F',
    help: [
      'HTTP basic credentials for the --marathon URLs only (principal:secret or JSON, or',
      'MESOSCOPE_MARATHON_CREDENTIALS); --ca-file, --cert-file, --key-file apply to Marathons too',
    ],
  },
  {
    name: 'master-scheme',
    env: 'MESOSCOPE_MASTER_SCHEME',
    arg: 'S',
    help: 'http or https: how to reach the masters a zk:// group lists',
    fallback: 'http',
  },
  {
    name: 'upstream-timeout',
    env: 'MESOSCOPE_UPSTREAM_TIMEOUT',
    arg: 'MS',
    help: 'time allowed for each call to Mesos',
    fallback: String(UPSTREAM_TIMEOUT_MS),
  },
  {
    name: 'max-upstream-body',
    env: 'MESOSCOPE_MAX_UPSTREAM_BODY',
    arg: 'SIZE',
    help: 'largest answer read from Mesos (e.g. a big /master/state), as bytes or 64MiB, 1GiB',
    fallback: '1GiB',
  },
  {
    name: 'poll-interval',
    env: 'MESOSCOPE_POLL_INTERVAL',
    arg: 'MS',
    help: 'how often to read the cluster (default: grows with cluster size)',
  },
  {
    name: 'data-dir',
    env: 'MESOSCOPE_DATA_DIR',
    arg: 'DIR',
    help: 'where the cluster history is kept across restarts',
    fallback: '.mesoscope',
  },
  {
    name: 'task-store',
    env: 'MESOSCOPE_TASK_STORE',
    arg: 'WHERE',
    help: [
      'where every task and status change is recorded: sqlite (<data-dir>/tasks.sqlite),',
      'postgres://user@host/db (one history for several mesoscope instances) or off',
    ],
    fallback: 'sqlite',
  },
  {
    name: 'task-retention',
    env: 'MESOSCOPE_TASK_RETENTION',
    arg: 'AGE',
    help: 'how long ended tasks are kept in the task store: 30d, 12h, 90m',
    fallback: '30d',
  },
  {
    name: 'task-store-max-bytes',
    env: 'MESOSCOPE_TASK_STORE_MAX_BYTES',
    arg: 'SIZE',
    help: 'the task store is kept under this size, oldest tasks going first (e.g. 2GiB; default: no cap)',
  },
  {
    name: 'htpasswd',
    env: 'MESOSCOPE_HTPASSWD',
    arg: 'F',
    help: "sign in with users from this file (bcrypt entries, as 'htpasswd -B' writes them)",
  },
  {
    name: 'auth-proxy-header',
    env: 'MESOSCOPE_AUTH_PROXY_HEADER',
    arg: 'NAME',
    help: 'take the user from this header set by an authenticating proxy (needs --trusted-proxy)',
  },
  {
    name: 'allow-operations',
    env: 'MESOSCOPE_ALLOW_OPERATIONS',
    arg: '',
    help: [
      'let signed-in operators drain, deactivate and reactivate agents, tear down frameworks and',
      'bring machines down and up, audited in <data-dir>/audit.log (needs --htpasswd or --auth-proxy-header)',
    ],
  },
  {
    name: 'operators',
    env: 'MESOSCOPE_OPERATORS',
    arg: 'USERS',
    help: 'the users who may operate, comma-separated (default: every signed-in user)',
  },
  {
    name: 'trusted-proxy',
    env: 'MESOSCOPE_TRUSTED_PROXY',
    arg: 'CIDRS',
    help: 'addresses the proxy connects from (e.g. 10.0.0.5,10.1.0.0/16); others are refused',
  },
  {
    name: 'rate-limit-search',
    env: 'MESOSCOPE_RATE_LIMIT_SEARCH',
    arg: 'N',
    help: 'whole-file searches per client per minute',
    fallback: String(DEFAULT_RATE_LIMITS.searchPerMinute),
  },
  {
    name: 'rate-limit-downloads',
    env: 'MESOSCOPE_RATE_LIMIT_DOWNLOADS',
    arg: 'N',
    help: 'file downloads per client per minute',
    fallback: String(DEFAULT_RATE_LIMITS.downloadsPerMinute),
  },
  {
    name: 'rate-limit-agent-files',
    env: 'MESOSCOPE_RATE_LIMIT_AGENT_FILES',
    arg: 'N',
    help: 'other /agent/<id>/files/... passthrough requests per client per minute',
    fallback: String(DEFAULT_RATE_LIMITS.agentFilesPerMinute),
  },
  {
    name: 'rate-limit-lines',
    env: 'MESOSCOPE_RATE_LIMIT_LINES',
    arg: 'N',
    help: 'pages of log lines (/api/files/lines) per client per minute',
    fallback: String(DEFAULT_RATE_LIMITS.linesPerMinute),
  },
  {
    name: 'rate-limit-line-text',
    env: 'MESOSCOPE_RATE_LIMIT_LINE_TEXT',
    arg: 'N',
    help: 'whole long lines (/api/files/line-text) per client per minute',
    fallback: String(DEFAULT_RATE_LIMITS.lineTextPerMinute),
  },
  {
    name: 'log-level',
    env: 'MESOSCOPE_LOG_LEVEL',
    arg: 'LEVEL',
    help: 'fatal, error, warn, info, debug, trace or silent',
    fallback: 'info',
  },
  {
    name: 'log-format',
    env: 'MESOSCOPE_LOG_FORMAT',
    arg: 'F',
    help: 'json (one object a line), pretty, or auto: pretty on a terminal, else json',
    fallback: 'auto',
  },
  {
    name: 'shutdown-timeout',
    env: 'MESOSCOPE_SHUTDOWN_TIMEOUT',
    arg: 'MS',
    help: 'on SIGTERM/SIGINT, how long to let requests in flight finish',
    fallback: '10000',
  },
  {
    name: 'masters',
    env: 'MESOSCOPE_MASTERS',
    arg: 'N',
    help: 'masters in the embedded local cluster (3 for HA)',
    fallback: '1',
  },
  {
    name: 'zk',
    env: 'MESOSCOPE_ZK',
    arg: 'URL',
    help: "zk://host:port/path for the embedded local cluster's masters to elect through",
  },
  {
    name: 'mesos-dns',
    env: 'MESOSCOPE_MESOS_DNS',
    arg: 'URL',
    help: [
      "a Mesos-DNS's HTTP API (http://host:8123): task pages say whether their DNS names resolve",
      '(the embedded local cluster runs its own)',
    ],
  },
  {
    name: 'max-completed-tasks-per-framework',
    env: 'MESOSCOPE_MAX_COMPLETED_TASKS_PER_FRAMEWORK',
    arg: 'N',
    help: "ended tasks the embedded local cluster's master keeps per framework, as Mesos's flag of that name",
    fallback: '1000',
  },
  {
    name: 'agents',
    env: 'MESOSCOPE_AGENTS',
    arg: 'N',
    help: 'agents in the embedded local cluster',
    fallback: '3',
  },
  {
    name: 'scenario',
    env: 'MESOSCOPE_SCENARIO',
    arg: 'NAME',
    help: 'local-cluster scenario',
    fallback: 'demo',
  },
  {
    name: 'cluster-file',
    env: 'MESOSCOPE_CLUSTER_FILE',
    arg: 'F',
    help: 'YAML or JSON file describing the embedded local cluster (agents, roles, services, apps, jobs)',
  },
  {
    name: 'ready-file',
    env: 'MESOSCOPE_READY_FILE',
    arg: 'F',
    help: 'once serving, write where the dashboard and the local cluster answer to F (JSON)',
  },
  {
    name: 'config',
    env: 'MESOSCOPE_CONFIG',
    arg: 'F',
    help: 'JSON file of options, keyed by flag name: {"port": 8080}',
  },
] as const satisfies readonly OptionSpec[];

interface OptionSpec {
  name: string;
  env: string;
  arg: string;
  help: string | readonly string[];
  fallback?: string;
}

type OptionName = (typeof OPTIONS)[number]['name'];

function usage(): string {
  const lines = ['Usage: npm start -- [options]', ''];
  for (const option of OPTIONS) {
    const left = `  --${option.name} ${option.arg}`.padEnd(32);
    const help: string[] = typeof option.help === 'string' ? [option.help] : [...option.help];
    const fallback = 'fallback' in option ? `, default ${option.fallback}` : '';
    help.push(`(env ${option.env}${fallback})`);
    lines.push(`${left}${help[0]}`, ...help.slice(1).map((line) => `${' '.repeat(32)}${line}`));
  }
  lines.push(
    `${'  --help'.padEnd(32)}this text`,
    '',
    'A flag wins over its environment variable, which wins over --config.',
    '',
  );
  return lines.join('\n');
}

export const USAGE = usage();

export class ConfigError extends Error {}

/** Where a raw value came from, for error messages. */
type Origin = 'flag' | 'env' | 'file' | 'default';
interface RawValue {
  text: string | undefined;
  origin: Origin;
}

function describeOrigin(name: OptionName, origin: Origin, file: string | null): string {
  const option = OPTIONS.find((o) => o.name === name)!;
  if (origin === 'env') return ` (from ${option.env})`;
  if (origin === 'file') return ` (from ${file})`;
  return '';
}

/** A whole number in [min, max], as zod sees a raw option text. */
const whole = (min: number, max: number) =>
  z.string().transform((text, context) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      context.addIssue({
        code: 'custom',
        message: `must be a whole number from ${min} to ${max}, got '${text}'`,
      });
      return z.NEVER;
    }
    return value;
  });

const optionalText = z.string().optional();

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A size in bytes: `1048576`, `64MiB`, `512M`, `1GiB` (K, M and G are powers of 1024), in [min, max]. */
const byteSize = (min: number, max: number) =>
  z.string().transform((text, context) => {
    const match = /^\s*(\d+)\s*(?:([kmg])(?:i?b)?|(b))?\s*$/i.exec(text);
    const value = match ? Number(match[1]) * UNITS[(match[2] ?? match[3] ?? '').toLowerCase()]! : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      context.addIssue({
        code: 'custom',
        message: `must be a size from ${formatBytes(min)} to ${formatBytes(max)} (e.g. 512MiB), got '${text}'`,
      });
      return z.NEVER;
    }
    return value;
  });

/** The options' types and ranges; cross-option rules follow in parseConfig. Keys are the flags' names. */
const RawConfigSchema = z.object({
  port: whole(0, 65_535),
  host: z.string().trim().min(1, 'must name an address'),
  'public-url': z
    .string()
    .transform((text, context) => {
      const url = URL.canParse(text) ? new URL(text) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
        context.addIssue({ code: 'custom', message: `must be an http(s) URL, got '${text}'` });
        return z.NEVER;
      }
      return url;
    })
    .optional(),
  'allowed-hosts': z
    .string()
    .transform((text, context) => {
      const names = text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const bad = names.find((name) => normalizeHostName(name) === null);
      if (bad !== undefined) {
        context.addIssue({
          code: 'custom',
          message: `must list host names or addresses (no port, scheme or path), got '${bad}'`,
        });
        return z.NEVER;
      }
      return names.map((name) => normalizeHostName(name)!);
    })
    .optional(),
  master: optionalText,
  'credentials-file': optionalText,
  'ca-file': optionalText,
  'cert-file': optionalText,
  'key-file': optionalText,
  marathon: z
    .string()
    .transform((text, context) => {
      const urls: string[] = [];
      for (const entry of text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const url = URL.canParse(entry) ? new URL(entry) : null;
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
          context.addIssue({
            code: 'custom',
            message: `must list http(s) URLs of Marathons, got '${entry}'`,
          });
          return z.NEVER;
        }
        if (url.username || url.password || url.search || url.hash) {
          context.addIssue({
            code: 'custom',
            message: `takes URLs without credentials, query or fragment (credentials go in --marathon-credentials-file), got '${url.origin}...'`,
          });
          return z.NEVER;
        }
        urls.push(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
      }
      return urls;
    })
    .optional(),
  'marathon-credentials-file': optionalText,
  'master-scheme': z.enum(['http', 'https'], {
    error: (issue) => `must be http or https, got '${String(issue.input)}'`,
  }),
  'upstream-timeout': whole(100, 300_000),
  'max-upstream-body': byteSize(1024 * 1024, MAX_UPSTREAM_BODY),
  'poll-interval': whole(100, 3_600_000).optional(),
  'data-dir': z.string().refine((dir) => dir.trim() !== '', 'must name a directory'),
  'task-store': z.string().transform((text, context) => {
    if (['sqlite', 'off'].includes(text) || /^postgres(ql)?:\/\/\S+$/.test(text)) return text;
    context.addIssue({
      code: 'custom',
      message: `must be sqlite, off or a postgres:// URL, got '${text.replace(/:[^:@/]*@/, ':***@')}'`,
    });
    return z.NEVER;
  }),
  'task-retention': z.string().transform((text, context) => {
    const match = /^\s*(\d+)\s*(m|h|d)\s*$/i.exec(text);
    const value = match ? Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()]! : NaN;
    if (!Number.isSafeInteger(value) || value < 60_000 || value > 3_650 * 86_400_000) {
      context.addIssue({
        code: 'custom',
        message: `must be a duration from 1m to 3650d such as 30d, 12h or 90m, got '${text}'`,
      });
      return z.NEVER;
    }
    return value;
  }),
  'task-store-max-bytes': byteSize(1024 * 1024, Number.MAX_SAFE_INTEGER).optional(),
  htpasswd: z.string().min(1, 'must name a file').optional(),
  'auth-proxy-header': z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name such as X-Forwarded-User')
    .refine(
      (name) => !['authorization', 'cookie', 'host', 'proxy-authorization'].includes(name.toLowerCase()),
      'cannot be a header browsers set themselves',
    )
    .optional(),
  'trusted-proxy': optionalText,
  'allow-operations': z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: (issue) => `is a switch: true or false, got '${String(issue.input)}'`,
    })
    .transform((text) => ['true', '1', 'yes'].includes(text))
    .optional(),
  operators: optionalText,
  'rate-limit-search': whole(1, 100_000),
  'rate-limit-downloads': whole(1, 100_000),
  'rate-limit-agent-files': whole(1, 1_000_000),
  'rate-limit-lines': whole(1, 1_000_000),
  'rate-limit-line-text': whole(1, 1_000_000),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: (issue) =>
      `must be one of fatal, error, warn, info, debug, trace, silent; got '${String(issue.input)}'`,
  }),
  'log-format': z.enum(['auto', 'json', 'pretty'], {
    error: (issue) => `must be auto, json or pretty, got '${String(issue.input)}'`,
  }),
  'shutdown-timeout': whole(0, 600_000),
  masters: whole(1, 7),
  zk: optionalText,
  'mesos-dns': optionalText,
  'max-completed-tasks-per-framework': whole(0, 1_000_000),
  agents: whole(1, 200),
  scenario: z.string().min(1),
  'cluster-file': optionalText,
  'ready-file': optionalText,
  config: optionalText,
});

/** Flags win over environment variables, which win over the config file; every mistake names its option. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          OPTIONS.map((option) => [option.name, { type: option.arg === '' ? 'boolean' : 'string' } as const]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }

  const configFile = (values['config'] as string | undefined) ?? env['MESOSCOPE_CONFIG'] ?? null;
  const fromFile = configFile ? readConfigFile(configFile) : {};
  const raw = {} as Record<OptionName, RawValue>;
  for (const option of OPTIONS) {
    const flag = values[option.name];
    const fileValue = fromFile[option.name];
    raw[option.name] =
      typeof flag === 'string' || typeof flag === 'boolean'
        ? { text: String(flag), origin: 'flag' }
        : env[option.env] !== undefined && env[option.env] !== ''
          ? { text: env[option.env], origin: 'env' }
          : fileValue !== undefined
            ? { text: fileValue, origin: 'file' }
            : { text: 'fallback' in option ? option.fallback : undefined, origin: 'default' };
  }
  const where = (name: OptionName) => describeOrigin(name, raw[name].origin, configFile);

  const parsed = RawConfigSchema.safeParse(
    Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, value.text])),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]) as OptionName;
    throw new ConfigError(`--${name} ${issue.message}${where(name)}`);
  }
  const options = parsed.data;

  const upstream = parseUpstream(options, env, where);
  const localZk = options.zk ?? null;
  if (localZk !== null && upstream.source !== null) {
    throw new ConfigError(
      '--zk is for the embedded local cluster; to read a cluster through ZooKeeper use --master zk://...',
    );
  }
  if (localZk !== null && parseMasterSourceOrFail(localZk, 'http:', '--zk').kind !== 'zookeeper') {
    throw new ConfigError('--zk must be a zk://host:port/path URL');
  }

  if (options['cluster-file'] !== undefined && upstream.source !== null) {
    throw new ConfigError(
      '--cluster-file describes the embedded local cluster; it cannot be used with --master',
    );
  }

  let mesosDns: string | null = null;
  try {
    mesosDns = options['mesos-dns'] === undefined ? null : parseMesosDnsUrl(options['mesos-dns']);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}${where('mesos-dns')}`);
  }

  const publicUrl = options['public-url'] ?? null;
  const access = parseAccess(options, where);
  return {
    port: options.port,
    host: options.host,
    publicUrl: publicUrl?.href ?? null,
    allowedHosts: [
      ...(publicUrl ? [normalizeHostName(publicUrl.hostname)!] : []),
      ...(options['allowed-hosts'] ?? []),
    ],
    upstream,
    pollIntervalMs: options['poll-interval'],
    agents: options.agents,
    scenario: options.scenario,
    clusterFile: options['cluster-file'] ?? null,
    readyFile: options['ready-file'] ?? null,
    localMasters: options.masters,
    localZk,
    mesosDns,
    localMaxCompletedTasks: options['max-completed-tasks-per-framework'],
    dataDir: options['data-dir'],
    taskStore: {
      where: options['task-store'],
      retentionMs: options['task-retention'],
      maxBytes: options['task-store-max-bytes'] ?? null,
    },
    access,
    operations: parseOperations(options, access, where),
    rateLimits: {
      searchPerMinute: options['rate-limit-search'],
      downloadsPerMinute: options['rate-limit-downloads'],
      agentFilesPerMinute: options['rate-limit-agent-files'],
      linesPerMinute: options['rate-limit-lines'],
      lineTextPerMinute: options['rate-limit-line-text'],
    },
    logLevel: options['log-level'],
    logFormat: options['log-format'],
    shutdownTimeoutMs: options['shutdown-timeout'],
    configFile,
    help: values['help'] === true,
  };
}

/** The config file: a JSON object keyed by flag name; values are strings, numbers or booleans. */
function readConfigFile(file: string): Partial<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--config: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--config: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `--config: ${file} must be a JSON object of option names to strings, numbers or booleans`,
    );
  }
  const known = new Set<string>(OPTIONS.map((option) => option.name));
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key === 'config' || !known.has(key)) {
      throw new ConfigError(
        `--config: ${file} has an unknown option '${key}' (options are the flags' names, e.g. "port")`,
      );
    }
    result[key] = String(value);
  }
  return result;
}

type Options = z.output<typeof RawConfigSchema>;
type Where = (name: OptionName) => string;

function parseAccess(options: Options, where: Where): AccessConfig {
  const header = options['auth-proxy-header'];
  const proxies = options['trusted-proxy'];
  if (options.htpasswd && header) {
    throw new ConfigError('--htpasswd and --auth-proxy-header are two ways to sign in: choose one');
  }
  if (header && !proxies) {
    throw new ConfigError(
      '--auth-proxy-header needs --trusted-proxy: the addresses of the proxy that sets it (anyone else could set it too)',
    );
  }
  if (proxies && !header) throw new ConfigError('--trusted-proxy is only used with --auth-proxy-header');
  if (options.htpasswd) return { kind: 'htpasswd', file: options.htpasswd };
  if (header && proxies) {
    try {
      return {
        kind: 'proxy-header',
        header,
        trusted: new TrustedProxies(proxies.split(',').filter(Boolean)),
      };
    } catch (error) {
      if (error instanceof TrustedProxyError)
        throw new ConfigError(`${error.message}${where('trusted-proxy')}`);
      throw error;
    }
  }
  return { kind: 'open' };
}

function parseOperations(options: Options, access: AccessConfig, where: Where): ServerConfig['operations'] {
  const operators = options.operators
    ?.split(',')
    .map((user) => user.trim())
    .filter(Boolean);
  if (!options['allow-operations']) {
    if (operators !== undefined) throw new ConfigError('--operators is only used with --allow-operations');
    return null;
  }
  if (access.kind === 'open') {
    throw new ConfigError(
      `--allow-operations${where('allow-operations')} needs a sign-in (--htpasswd or --auth-proxy-header): otherwise anyone who reaches mesoscope could change the cluster`,
    );
  }
  if (operators !== undefined && operators.length === 0) {
    throw new ConfigError(`--operators${where('operators')} must name at least one user`);
  }
  return { operators: operators ?? null };
}

/** `host:port` → `http://host:port`; keeps https and any path prefix; refuses anything else. */
export function normalizeMasterUrl(entry: string): string {
  try {
    return normalizeUrl(entry);
  } catch (error) {
    throw new ConfigError(`--master: ${(error as Error).message}`);
  }
}

function parseUpstream(options: Options, env: NodeJS.ProcessEnv, where: Where): UpstreamConfig {
  const scheme = options['master-scheme'];
  const masterText = (options.master ?? '').trim();
  const source = masterText
    ? parseMasterSourceOrFail(masterText, `${scheme}:`, '--master', where('master'))
    : null;
  const credentialsFile = options['credentials-file'] ?? null;
  let credentials: MesosCredentials | null = null;
  const inline = env['MESOS_CREDENTIALS'];
  if (!credentialsFile && inline) {
    try {
      credentials = parseCredentials(inline, 'MESOS_CREDENTIALS');
    } catch (error) {
      if (error instanceof CredentialsError) throw new ConfigError(error.message);
      throw error;
    }
  }
  const certFile = options['cert-file'] ?? null;
  const keyFile = options['key-file'] ?? null;
  if ((certFile === null) !== (keyFile === null)) {
    throw new ConfigError('--cert-file and --key-file go together: give both or neither');
  }
  return {
    source,
    credentials,
    credentialsFile,
    caFile: options['ca-file'] ?? null,
    certFile,
    keyFile,
    marathons: options.marathon ?? [],
    marathonCredentialsFile: options['marathon-credentials-file'] ?? null,
    timeoutMs: options['upstream-timeout'],
    maxBodyBytes: options['max-upstream-body'],
  };
}

function parseMasterSourceOrFail(
  value: string,
  scheme: 'http:' | 'https:',
  flag: string,
  origin = '',
): MasterSource {
  try {
    return parseMasterSource(value, scheme);
  } catch (error) {
    if (error instanceof MasterSourceError) throw new ConfigError(`${flag}: ${error.message}${origin}`);
    throw error;
  }
}
