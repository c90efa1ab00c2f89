/**
 * The commands and flags of `mesoscope`, parsed with node:util's parseArgs: an unknown command or flag is a
 * usage error (exit 2) that names it.
 */
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './cli-error';

type FlagSpec = { type: 'string' | 'boolean'; short?: string };

interface CommandSpec {
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
}

const COMMANDS = {
  up: {
    summary: 'start the local cluster and the dashboard in the background',
    usage: 'up [--cluster-file F] [--port N]',
    flags: { 'cluster-file': { type: 'string', short: 'f' }, port: { type: 'string', short: 'p' } },
  },
  down: { summary: 'stop everything `up` started', usage: 'down', flags: {} },
  info: { summary: 'the export lines and whether each part answers', usage: 'info', flags: {} },
  state: {
    summary: "the master's state JSON, or an agent's",
    usage: 'state [--agent ID]',
    flags: { agent: { type: 'string' } },
  },
  ps: { summary: 'the tasks, as a table', usage: 'ps', flags: {} },
  install: {
    summary: 'install a Marathon app or group (${MESOSCOPE_*} tokens replaced)',
    usage: 'install --app FILE | --group FILE | --stdin [--update]',
    flags: {
      app: { type: 'string' },
      group: { type: 'string' },
      stdin: { type: 'boolean' },
      update: { type: 'boolean' },
    },
  },
  uninstall: {
    summary: 'remove a Marathon app or group',
    usage: 'uninstall --app ID | --group ID',
    flags: { app: { type: 'string' }, group: { type: 'string' } },
  },
  logs: {
    summary: "a task's stdout (or stderr)",
    usage: 'logs --task ID [--stderr] [--follow]',
    flags: { task: { type: 'string' }, stderr: { type: 'boolean' }, follow: { type: 'boolean' } },
  },
  version: { summary: 'the version of mesoscope', usage: 'version', flags: {} },
  help: { summary: 'this help', usage: 'help', flags: {} },
} as const satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMANDS;

const USAGE_WIDTH = Math.max(...Object.values(COMMANDS).map((spec: CommandSpec) => spec.usage.length));

export const USAGE = `Usage: mesoscope <command> [flags]

A local Mesos cluster with Marathon, Chronos and Mesos-DNS, and its dashboard, from this directory
(its state is kept in .mesoscope/).

Commands:
${Object.values(COMMANDS)
  .map((spec: CommandSpec) => `  ${spec.usage.padEnd(USAGE_WIDTH)}  ${spec.summary}`)
  .join('\n')}

Exit codes: 0 done, 1 failed, 2 bad command, flag or file, 3 nothing running, 4 port in use.
`;

interface ParsedCommand {
  command: CommandName;
  flags: Record<string, string | boolean | undefined>;
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `['up', '--port', '5051']` → the command and its flags; throws a usage {@link CliError} on anything unknown. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help', flags: {} };
  if (first === '--version') return { command: 'version', flags: {} };
  if (!isCommand(first)) {
    throw new CliError(
      first.startsWith('-') ? `unknown flag '${first}' before the command` : `unknown command '${first}'`,
      EXIT.usage,
      true,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', flags: {} };
  const spec: CommandSpec = COMMANDS[first];
  try {
    const { values } = parseArgs({
      args: [...rest],
      options: spec.flags,
      strict: true,
      allowPositionals: false,
    });
    return { command: first, flags: values };
  } catch (error) {
    throw new CliError(`${first}: ${usageProblem(error as Error)}`, EXIT.usage, true);
  }
}

/** parseArgs's messages are long and name its own options; say what was wrong in this CLI's words. */
function usageProblem(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  // `-p, --port <value>`: the long name says most.
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? /-[\w]/.exec(quoted)?.[0];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag '${option ?? '?'}'`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return error.message.includes('argument missing')
        ? `flag '${option ?? '?'}' needs a value`
        : `flag '${option ?? '?'}' takes no value`;
    default:
      return error.message;
  }
}

/** Exactly one of the named flags, else a usage error naming them. */
export function oneOf(
  command: string,
  flags: Record<string, string | boolean | undefined>,
  names: readonly string[],
): string {
  const given = names.filter((name) => flags[name] !== undefined && flags[name] !== false);
  if (given.length !== 1) {
    throw new CliError(
      `${command}: give exactly one of ${names.map((name) => `--${name}`).join(', ')}`,
      EXIT.usage,
    );
  }
  return given[0]!;
}

/** `--port 5051` → 5051; a usage error for anything that is not a port. */
export function portFlag(value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new CliError(`--port must be a port from 1 to 65535, not '${String(value)}'`, EXIT.usage);
  return port;
}
