import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeMasterUrl, parseConfig } from './config';

describe('parseConfig', () => {
  it('defaults to port 5050 on loopback with the local cluster', () => {
    const config = parseConfig([], {});
    expect(config).toMatchObject({ port: 5050, host: '127.0.0.1', masters: [], agents: 3 });
  });

  it('reads --port and --master, and flags win over the environment', () => {
    const config = parseConfig(['--port', '8080', '--master', 'm1:5050,https://m2:5050/'], {
      PORT: '9999',
      MESOS_MASTER: 'ignored:1',
    });
    expect(config.port).toBe(8080);
    expect(config.masters).toEqual(['http://m1:5050', 'https://m2:5050']);
  });

  it('falls back to PORT and MESOS_MASTER', () => {
    expect(parseConfig([], { PORT: '6000', MESOS_MASTER: 'http://a:5050' })).toMatchObject({
      port: 6000,
      masters: ['http://a:5050'],
    });
  });

  it('keeps history in .mesoscope unless --data-dir says otherwise', () => {
    expect(parseConfig([], {}).dataDir).toBe('.mesoscope');
    expect(parseConfig(['--data-dir', '/var/lib/mesoscope'], {}).dataDir).toBe('/var/lib/mesoscope');
    expect(() => parseConfig(['--data-dir', ' '], {})).toThrow(/--data-dir must name a directory/);
  });

  it('keeps a path prefix such as DC/OS /mesos', () => {
    expect(normalizeMasterUrl('https://dcos.example/mesos/')).toBe('https://dcos.example/mesos');
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--master', 'ftp://x']],
    [['--master', 'http://user:secret@m1:5050']],
    [['--bogus']],
  ])('rejects %j with a clear message', (argv) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
  });

  it('never echoes a password in its error', () => {
    let message = '';
    try {
      parseConfig(['--master', 'http://user:hunter2@m1:5050'], {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain('hunter2');
  });
});
