import { parseArgs } from 'node:util';

export interface ServerConfig {
  port: number;
  host: string;
  /** Master URLs; empty means: start the embedded local cluster. */
  masters: string[];
  pollIntervalMs: number | undefined;
  agents: number;
  /** Local-cluster scenario name (checked by the cluster, which lists the valid ones). */
  scenario: string;
  /** Where mesoscope keeps data across restarts (the cluster history), relative to the working directory. */
  dataDir: string;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]

  --port N               port to serve the dashboard on (env PORT, default 5050)
  --host ADDR            address to listen on (env HOST, default 127.0.0.1)
  --master URL[,URL...]  one or more Mesos master URLs (env MESOS_MASTER); without it an
                         embedded local cluster starts and mesoscope shows that
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
  const masterList = values.master ?? env['MESOS_MASTER'] ?? '';
  const masters = masterList
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(normalizeMasterUrl);
  const pollText = values['poll-interval'];
  const dataDir = values['data-dir'] ?? '.mesoscope';
  if (dataDir.trim() === '') throw new ConfigError('--data-dir must name a directory');
  return {
    port,
    host: values.host ?? env['HOST'] ?? '127.0.0.1',
    masters,
    pollIntervalMs: pollText === undefined ? undefined : integer('--poll-interval', pollText, 100, 3_600_000),
    agents: integer('--agents', values.agents ?? '3', 1, 200),
    scenario: values.scenario ?? 'demo',
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
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `http://${entry}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`--master: '${entry}' is not a URL (expected http(s)://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `--master: unsupported scheme '${url.protocol}' in '${url.host}' (use http:// or https://)`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(
      `--master: do not put credentials in the URL of ${url.host}; they would end up in logs`,
    );
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
