import { describe, expect, it } from 'vitest';
import { oneOf, parseCommand, portFlag, USAGE } from './args';
import { CliError, EXIT } from './cli-error';
import { formatTable, psRows } from './cluster-commands';
import { kindOf, parseDefinition, replaceTokens } from './install';
import { exportLines, tokenValues } from './runtime';
import type { ReadyInfo } from './runtime';

function usageError(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('no error');
}

const READY: ReadyInfo = {
  pid: 1,
  dashboard: 'http://localhost:5050',
  master: 'http://127.0.0.1:5051',
  masters: ['http://127.0.0.1:5051'],
  marathon: 'http://127.0.0.1:8080',
  chronos: null,
  dns: '127.0.0.1:8053',
  dnsHttp: 'http://127.0.0.1:8123',
  workDir: '/tmp/w',
  agents: [],
};

describe('mesoscope command line', () => {
  it('parses a command and its flags', () => {
    expect(parseCommand(['up', '--cluster-file', 'c.yaml', '--port', '5051'])).toEqual({
      command: 'up',
      flags: { 'cluster-file': 'c.yaml', port: '5051' },
    });
    expect(parseCommand(['logs', '--task', 't1', '--follow'])).toEqual({
      command: 'logs',
      flags: { task: 't1', follow: true },
    });
    expect(parseCommand([]).command).toBe('help');
    expect(parseCommand(['ps', '--help']).command).toBe('help');
    expect(parseCommand(['--version']).command).toBe('version');
  });

  it('refuses an unknown command, flag or argument with exit code 2 and the usage', () => {
    const command = usageError(() => parseCommand(['destroy']));
    expect([command.message, command.exitCode, command.showUsage]).toEqual([
      "unknown command 'destroy'",
      EXIT.usage,
      true,
    ]);
    expect(usageError(() => parseCommand(['ps', '--all'])).message).toBe("ps: unknown flag '--all'");
    expect(usageError(() => parseCommand(['down', 'now'])).message).toBe("down: unexpected argument 'now'");
    expect(usageError(() => parseCommand(['up', '--port'])).message).toBe("up: flag '--port' needs a value");
    expect(usageError(() => parseCommand(['up', '--port=1', '-x'])).exitCode).toBe(EXIT.usage);
    expect(usageError(() => portFlag('80a', 5050)).message).toMatch(/--port must be a port/);
    expect(portFlag(undefined, 5050)).toBe(5050);
    expect(usageError(() => oneOf('install', { app: 'a', group: 'g' }, ['app', 'group'])).message).toBe(
      'install: give exactly one of --app, --group',
    );
    for (const name of ['up', 'down', 'info', 'state', 'ps', 'install', 'uninstall', 'logs', 'version'])
      expect(USAGE).toContain(`\n  ${name}`);
  });

  it('prints the export lines of the parts that run and replaces their tokens', () => {
    expect(exportLines(READY)).toEqual([
      'export MESOSCOPE_MASTER=http://127.0.0.1:5051',
      'export MESOSCOPE_MARATHON=http://127.0.0.1:8080',
      'export MESOSCOPE_DNS=127.0.0.1:8053',
      'export MESOSCOPE_DASHBOARD=http://localhost:5050',
    ]);
    const text = '{"id": "/a", "cmd": "curl ${MESOSCOPE_MASTER}/state; dig @${MESOSCOPE_DNS}"}';
    expect(replaceTokens(text, tokenValues(READY), 'a.json')).toBe(
      '{"id": "/a", "cmd": "curl http://127.0.0.1:5051/state; dig @127.0.0.1:8053"}',
    );
    expect(
      usageError(() => replaceTokens('{\n"x": "${MESOSCOPE_CHRONOS}"}', tokenValues(READY), 'a.json'))
        .message,
    ).toMatch(/^a\.json:2: unknown token \$\{MESOSCOPE_CHRONOS\}/);
  });

  it('refuses a definition that is not one JSON object, naming the file and line', () => {
    const notJson = usageError(() => parseDefinition('{\n  "id": "/a",\n  cmd: 1\n}', 'a.json'));
    expect(notJson.exitCode).toBe(EXIT.usage);
    expect(notJson.message).toMatch(/^a\.json:3: not JSON: /);
    expect(usageError(() => parseDefinition('[1]', 'a.json')).message).toBe(
      'a.json: must be one JSON object (a Marathon app or group)',
    );
    expect(kindOf(parseDefinition('{"id": "/g", "apps": []}', 'g.json'))).toBe('group');
    expect(kindOf(parseDefinition('{"id": "/a", "cmd": "x"}', 'a.json'))).toBe('app');
  });

  it('lists active tasks with their agent, ports and Mesos-DNS name', () => {
    const rows = psRows({
      slaves: [{ id: 'S0', hostname: 'a1.example', pid: 'slave(1)@127.0.0.1:5051' }],
      frameworks: [
        {
          id: 'F1',
          name: 'marathon',
          tasks: [
            {
              id: 'web.instance-1._app.1',
              name: 'web',
              state: 'TASK_RUNNING',
              slave_id: 'S0',
              resources: { cpus: 0.1, ports: '[31000-31001]' },
            },
          ],
        },
      ],
    });
    expect(rows).toEqual([
      {
        framework: 'marathon',
        task: 'web.instance-1._app.1',
        state: 'TASK_RUNNING',
        agent: 'a1.example',
        ports: '31000,31001',
        dns: 'web.marathon.mesos',
      },
    ]);
    expect(formatTable(rows)).toEqual([
      'FRAMEWORK  TASK                   STATE         AGENT       PORTS        DNS NAME',
      'marathon   web.instance-1._app.1  TASK_RUNNING  a1.example  31000,31001  web.marathon.mesos',
    ]);
  });
});
