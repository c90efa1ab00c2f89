import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, USAGE } from './config';

const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('configuration sources', () => {
  it('takes a flag over its environment variable over the config file over the default', () => {
    const file = configFile('all.json', JSON.stringify({ port: 7000, agents: 5, 'log-level': 'debug' }));
    expect(parseConfig(['--config', file], {})).toMatchObject({ port: 7000, agents: 5, logLevel: 'debug' });
    expect(parseConfig(['--config', file], { PORT: '7100' }).port).toBe(7100);
    expect(parseConfig(['--config', file, '--port', '7200'], { PORT: '7100' }).port).toBe(7200);
    expect(parseConfig([], { MESOSCOPE_CONFIG: file }).agents).toBe(5);
    expect(parseConfig([], {}).logLevel).toBe('info');
  });

  it('names the option and where a bad value came from', () => {
    const file = configFile('bad-port.json', JSON.stringify({ port: 'eighty' }));
    expect(() => parseConfig(['--config', file], {})).toThrow(
      `--port must be a whole number from 0 to 65535, got 'eighty' (from ${file})`,
    );
    expect(() => parseConfig([], { MESOSCOPE_AGENTS: '0' })).toThrow(
      /--agents must be .* \(from MESOSCOPE_AGENTS\)/,
    );
    expect(() => parseConfig(['--log-format', 'xml'], {})).toThrow(
      /--log-format must be auto, json or pretty/,
    );
    expect(() => parseConfig(['--rate-limit-search=-1'], {})).toThrow(/--rate-limit-search must be/);
  });

  it('refuses config files that are not JSON objects of known options', () => {
    expect(() => parseConfig(['--config', path.join(dir, 'missing.json')], {})).toThrow(
      /--config: cannot read .*ENOENT/,
    );
    expect(() => parseConfig(['--config', configFile('broken.json', '{port: 1')], {})).toThrow(
      /is not valid JSON/,
    );
    expect(() => parseConfig(['--config', configFile('list.json', '[1]')], {})).toThrow(
      /must be a JSON object/,
    );
    expect(() => parseConfig(['--config', configFile('typo.json', '{"prot": 1}')], {})).toThrow(
      /unknown option 'prot'/,
    );
  });

  it('reads access control and checks that its parts go together', () => {
    expect(parseConfig(['--htpasswd', '/etc/mesoscope/users'], {}).access).toEqual({
      kind: 'htpasswd',
      file: '/etc/mesoscope/users',
    });
    const proxied = parseConfig(
      ['--auth-proxy-header', 'X-Forwarded-User', '--trusted-proxy', '10.0.0.5,10.1.0.0/16'],
      {},
    );
    expect(proxied.access).toMatchObject({ kind: 'proxy-header', header: 'X-Forwarded-User' });
    expect(parseConfig([], {}).access).toEqual({ kind: 'open' });
    expect(() => parseConfig(['--auth-proxy-header', 'X-Forwarded-User'], {})).toThrow(
      /needs --trusted-proxy/,
    );
    expect(() => parseConfig(['--trusted-proxy', '10.0.0.5'], {})).toThrow(
      /only used with --auth-proxy-header/,
    );
    expect(() =>
      parseConfig(['--htpasswd', 'f', '--auth-proxy-header', 'X-User', '--trusted-proxy', '10.0.0.5'], {}),
    ).toThrow(/choose one/);
    expect(() =>
      parseConfig(['--auth-proxy-header', 'Authorization', '--trusted-proxy', '10.0.0.5'], {}),
    ).toThrow(/--auth-proxy-header cannot be a header browsers set themselves/);
    expect(() =>
      parseConfig(['--auth-proxy-header', 'X-User'], { MESOSCOPE_TRUSTED_PROXY: 'proxy.local' }),
    ).toThrow(/'proxy.local' is not an IP address or CIDR.*\(from MESOSCOPE_TRUSTED_PROXY\)/);
  });

  it('lists every option with its environment variable in --help', () => {
    for (const [flag, env] of [
      ['--port', 'PORT'],
      ['--master', 'MESOS_MASTER'],
      ['--htpasswd', 'MESOSCOPE_HTPASSWD'],
      ['--data-dir', 'MESOSCOPE_DATA_DIR'],
      ['--config', 'MESOSCOPE_CONFIG'],
    ]) {
      expect(USAGE).toMatch(new RegExp(`${flag} [\\s\\S]*?\\(env ${env}`));
    }
  });
});
