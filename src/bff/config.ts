import { parseArgs } from 'node:util';
import { CredentialsError, parseCredentials } from './upstream/credentials';
import type { MesosCredentials } from './upstream/credentials';
import {
  MasterSourceError,
  normalizeMasterUrl as normalizeUrl,
  parseMasterSource,
} from './upstream/master-source';
import type { MasterSource } from './upstream/master-source';
import { UPSTREAM_TIMEOUT_MS } from './poll-policy';

/** How mesoscope reaches Mesos: where the masters are, credentials, TLS and timeouts (see README, Running). */
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
  /** `--upstream-timeout`: time allowed for each call to Mesos. */
  timeoutMs: number;
}

export interface ServerConfig {
  port: number;
  host: string;
  upstream: UpstreamConfig;
  pollIntervalMs: number | undefined;
  agents: number;
  /** Local-cluster scenario name (checked by the cluster, which lists the valid ones). */
  scenario: string;
  /** Masters in the embedded local cluster (`--masters`; more than one: HA, one leads). */
  localMasters: number;
  /** `--zk`: the local cluster's masters register in this ZooKeeper, and mesoscope finds the leader there. */
  localZk: string | null;
  /** Where mesoscope keeps data across restarts (the cluster history), relative to the working directory. */
  dataDir: string;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]

  --port N               port to serve the dashboard on (env PORT, default 5050)
  --host ADDR            address to listen on (env HOST, default 127.0.0.1)
  --master SOURCE        the Mesos masters (env MESOS_MASTER), one of:
                           http(s)://host:port[,http(s)://host:port...]  mesoscope follows the leader
                           zk://host:2181[,host:2181]/mesos              Mesos's ZooKeeper group
                           https://dcos.example.com/mesos                a proxy that reaches the leader
                         without it an embedded local cluster starts and mesoscope shows that
  --credentials-file F   HTTP basic credentials for Mesos: principal:secret, "principal secret" or
                         JSON (env MESOS_CREDENTIALS_FILE; or the credentials themselves in MESOS_CREDENTIALS)
  --ca-file F            PEM CA bundle trusted for https masters and agents (env MESOS_CA_FILE)
  --cert-file F          client certificate (PEM) for masters that ask for one (env MESOS_CERT_FILE)
  --key-file F           its private key (PEM) (env MESOS_KEY_FILE)
  --master-scheme S      http or https: how to reach the masters a zk:// group lists (default http)
  --upstream-timeout MS  time allowed for each call to Mesos (default ${UPSTREAM_TIMEOUT_MS})
  --masters N            masters in the embedded local cluster (default 1; 3 for HA)
  --zk URL               zk://host:port/path for the embedded local cluster's masters to elect through
  --agents N             agents in the embedded local cluster (default 3)
  --scenario NAME        local-cluster scenario (default demo)
  --poll-interval MS     how often to read the cluster (default: grows with cluster size)
  --data-dir DIR         where the cluster history is kept across restarts (default .mesoscope)
  --help                 this text
`;

export class ConfigError extends Error {}

/** Flags win over environment variables; every mistake gets a message naming the flag. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        master: { type: 'string' },
        'credentials-file': { type: 'string' },
        'ca-file': { type: 'string' },
        'cert-file': { type: 'string' },
        'key-file': { type: 'string' },
        'master-scheme': { type: 'string' },
        'upstream-timeout': { type: 'string' },
        masters: { type: 'string' },
        zk: { type: 'string' },
        agents: { type: 'string' },
        scenario: { type: 'string' },
        'poll-interval': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }

  const port = integer('--port', values.port ?? env['PORT'] ?? '5050', 0, 65_535);
  const upstream = parseUpstream(values, env);
  const localZk = values.zk ?? null;
  if (localZk !== null && upstream.source !== null) {
    throw new ConfigError(
      '--zk is for the embedded local cluster; to read a cluster through ZooKeeper use --master zk://...',
    );
  }
  if (localZk !== null && parseMasterSourceOrFail(localZk, 'http:', '--zk').kind !== 'zookeeper') {
    throw new ConfigError('--zk must be a zk://host:port/path URL');
  }
  const pollText = values['poll-interval'];
  const dataDir = values['data-dir'] ?? '.mesoscope';
  if (dataDir.trim() === '') throw new ConfigError('--data-dir must name a directory');
  return {
    port,
    host: values.host ?? env['HOST'] ?? '127.0.0.1',
    upstream,
    pollIntervalMs: pollText === undefined ? undefined : integer('--poll-interval', pollText, 100, 3_600_000),
    agents: integer('--agents', values.agents ?? '3', 1, 200),
    scenario: values.scenario ?? 'demo',
    localMasters: integer('--masters', values.masters ?? '1', 1, 7),
    localZk,
    dataDir,
    help: values.help ?? false,
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/** `host:port` → `http://host:port`; keeps https and any path prefix; refuses anything else. */
export function normalizeMasterUrl(entry: string): string {
  try {
    return normalizeUrl(entry);
  } catch (error) {
    throw new ConfigError(`--master: ${(error as Error).message}`);
  }
}

type ParsedValues = Partial<Record<string, string | boolean | undefined>>;

function text(values: ParsedValues, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

function parseUpstream(values: ParsedValues, env: NodeJS.ProcessEnv): UpstreamConfig {
  const scheme = text(values, 'master-scheme') ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') {
    throw new ConfigError(`--master-scheme must be http or https, got '${scheme}'`);
  }
  const masterText = (text(values, 'master') ?? env['MESOS_MASTER'] ?? '').trim();
  const source = masterText ? parseMasterSourceOrFail(masterText, `${scheme}:`, '--master') : null;
  const credentialsFile = text(values, 'credentials-file') ?? env['MESOS_CREDENTIALS_FILE'] ?? null;
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
  const certFile = text(values, 'cert-file') ?? env['MESOS_CERT_FILE'] ?? null;
  const keyFile = text(values, 'key-file') ?? env['MESOS_KEY_FILE'] ?? null;
  if ((certFile === null) !== (keyFile === null)) {
    throw new ConfigError('--cert-file and --key-file go together: give both or neither');
  }
  const timeoutText = text(values, 'upstream-timeout');
  return {
    source,
    credentials,
    credentialsFile,
    caFile: text(values, 'ca-file') ?? env['MESOS_CA_FILE'] ?? null,
    certFile,
    keyFile,
    timeoutMs:
      timeoutText === undefined
        ? UPSTREAM_TIMEOUT_MS
        : integer('--upstream-timeout', timeoutText, 100, 300_000),
  };
}

function parseMasterSourceOrFail(value: string, scheme: 'http:' | 'https:', flag: string): MasterSource {
  try {
    return parseMasterSource(value, scheme);
  } catch (error) {
    if (error instanceof MasterSourceError) throw new ConfigError(`${flag}: ${error.message}`);
    throw error;
  }
}
