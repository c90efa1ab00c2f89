import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeMasterUrl, parseConfig } from './config';

describe('parseConfig', () => {
  it('defaults to port 5050 on loopback with the local cluster', () => {
    const config = parseConfig([], {});
    expect(config).toMatchObject({
      port: 5050,
      host: '127.0.0.1',
      agents: 3,
      localMasters: 1,
      localZk: null,
    });
    expect(config.upstream).toMatchObject({ source: null, credentials: null, timeoutMs: 5_000 });
  });

  it('reads --port and --master, and flags win over the environment', () => {
    const config = parseConfig(['--port', '8080', '--master', 'm1:5050,https://m2:5050/'], {
      PORT: '9999',
      MESOS_MASTER: 'ignored:1',
    });
    expect(config.port).toBe(8080);
    expect(config.upstream.source).toEqual({ kind: 'masters', urls: ['http://m1:5050', 'https://m2:5050'] });
  });

  it('falls back to PORT and MESOS_MASTER', () => {
    expect(parseConfig([], { PORT: '6000', MESOS_MASTER: 'http://a:5050' })).toMatchObject({
      port: 6000,
      upstream: { source: { kind: 'masters', urls: ['http://a:5050'] } },
    });
  });

  it('reads --marathon and MESOSCOPE_MARATHON as Marathon base URLs, and refuses credentials in them', () => {
    expect(parseConfig([], {}).upstream.marathons).toEqual([]);
    expect(
      parseConfig(['--marathon', 'http://m1:8080/, https://dcos.example.com/service/marathon/'], {}).upstream
        .marathons,
    ).toEqual(['http://m1:8080', 'https://dcos.example.com/service/marathon']);
    expect(parseConfig([], { MESOSCOPE_MARATHON: 'http://m1:8080' }).upstream.marathons).toEqual([
      'http://m1:8080',
    ]);
    expect(() => parseConfig(['--marathon', 'm1:8080'], {})).toThrow(/--marathon must list http\(s\) URLs/);
    expect(() => parseConfig(['--marathon', 'http://ops:hunter2@m1:8080'], {})).toThrow(
      /--marathon-credentials-file/,
    );
    expect(() => parseConfig(['--marathon', 'http://ops:hunter2@m1:8080'], {})).not.toThrow(/hunter2/);
  });

  it('takes a cluster file and a ready file for the local cluster, and refuses a cluster file with --master', () => {
    expect(parseConfig([], {})).toMatchObject({ clusterFile: null, readyFile: null });
    expect(
      parseConfig(['--cluster-file', 'c.yaml', '--ready-file', '.mesoscope/ready.json'], {}),
    ).toMatchObject({ clusterFile: 'c.yaml', readyFile: '.mesoscope/ready.json' });
    expect(parseConfig([], { MESOSCOPE_CLUSTER_FILE: 'c.json' }).clusterFile).toBe('c.json');
    expect(() => parseConfig(['--cluster-file', 'c.yaml', '--master', 'http://m1:5050'], {})).toThrow(
      '--cluster-file describes the embedded local cluster; it cannot be used with --master',
    );
  });

  it('keeps history in .mesoscope unless --data-dir says otherwise', () => {
    expect(parseConfig([], {}).dataDir).toBe('.mesoscope');
    expect(parseConfig(['--data-dir', '/var/lib/mesoscope'], {}).dataDir).toBe('/var/lib/mesoscope');
    expect(() => parseConfig(['--data-dir', ' '], {})).toThrow(/--data-dir must name a directory/);
  });

  it('records tasks in SQLite for 30 days unless told otherwise, and refuses what is not a store or a duration', () => {
    expect(parseConfig([], {}).taskStore).toEqual({
      where: 'sqlite',
      retentionMs: 30 * 86_400_000,
      maxBytes: null,
    });
    expect(
      parseConfig(
        [
          '--task-store',
          'postgres://ms:pw@db:5432/mesoscope',
          '--task-retention',
          '12h',
          '--task-store-max-bytes',
          '2GiB',
        ],
        {},
      ).taskStore,
    ).toEqual({
      where: 'postgres://ms:pw@db:5432/mesoscope',
      retentionMs: 12 * 3_600_000,
      maxBytes: 2 * 1024 ** 3,
    });
    expect(parseConfig([], { MESOSCOPE_TASK_STORE: 'off' }).taskStore.where).toBe('off');
    expect(() => parseConfig(['--task-store', 'mysql://u:secret@db/x'], {})).toThrow(
      "--task-store must be sqlite, off or a postgres:// URL, got 'mysql://u:***@db/x'",
    );
    expect(() => parseConfig(['--task-retention', '30 days'], {})).toThrow(
      /--task-retention must be a duration from 1m to 3650d/,
    );
    expect(() => parseConfig(['--task-store-max-bytes', '10'], {})).toThrow(
      /--task-store-max-bytes must be a size/,
    );
  });

  it('is read-only unless --allow-operations, which needs a sign-in and may name the operators', () => {
    expect(parseConfig([], {}).operations).toBeNull();
    expect(() => parseConfig(['--allow-operations'], {})).toThrow(/--allow-operations needs a sign-in/);
    expect(() => parseConfig([], { MESOSCOPE_ALLOW_OPERATIONS: 'true' })).toThrow(
      /--allow-operations \(from MESOSCOPE_ALLOW_OPERATIONS\) needs a sign-in/,
    );
    const signedIn = ['--htpasswd', '/etc/mesoscope/users'];
    expect(parseConfig([...signedIn, '--allow-operations'], {}).operations).toEqual({ operators: null });
    expect(
      parseConfig([...signedIn, '--allow-operations', '--operators', 'alice, bob'], {}).operations,
    ).toEqual({ operators: ['alice', 'bob'] });
    expect(parseConfig(signedIn, { MESOSCOPE_ALLOW_OPERATIONS: 'false' }).operations).toBeNull();
    expect(() => parseConfig(signedIn, { MESOSCOPE_ALLOW_OPERATIONS: 'maybe' })).toThrow(
      /--allow-operations is a switch/,
    );
    expect(() => parseConfig([...signedIn, '--operators', 'alice'], {})).toThrow(
      /--operators is only used with --allow-operations/,
    );
    expect(() => parseConfig([...signedIn, '--allow-operations', '--operators', ' , '], {})).toThrow(
      /--operators must name at least one user/,
    );
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

  it('reads the three forms of --master: URLs, zk:// and a base URL with a path prefix', () => {
    expect(parseConfig(['--master', 'zk://zk1:2181,zk2/mesos'], {}).upstream.source).toMatchObject({
      kind: 'zookeeper',
      url: 'zk://zk1:2181,zk2/mesos',
      zk: { servers: 'zk1:2181,zk2:2181', path: '/mesos', digest: null },
      scheme: 'http:',
    });
    expect(
      parseConfig(['--master', 'zk://zk1/mesos', '--master-scheme', 'https'], {}).upstream.source,
    ).toMatchObject({ kind: 'zookeeper', scheme: 'https:' });
    expect(parseConfig(['--master', 'https://dcos.example.com/mesos/'], {}).upstream.source).toEqual({
      kind: 'proxy',
      url: 'https://dcos.example.com/mesos',
    });
    expect(parseConfig(['--master', 'http://m1:5050'], {}).upstream.source).toEqual({
      kind: 'masters',
      urls: ['http://m1:5050'],
    });
  });

  it('reads credentials, CA and client certificate files and the upstream timeout', () => {
    const config = parseConfig(
      [
        '--master',
        'https://m1:5050',
        '--credentials-file',
        '/etc/mesoscope/credentials',
        '--ca-file',
        'ca.pem',
        '--cert-file',
        'me.pem',
        '--key-file',
        'me.key',
        '--upstream-timeout',
        '2500',
      ],
      { MESOS_CREDENTIALS: 'ignored:because-the-file-wins' },
    );
    expect(config.upstream).toMatchObject({
      credentials: null,
      credentialsFile: '/etc/mesoscope/credentials',
      caFile: 'ca.pem',
      certFile: 'me.pem',
      keyFile: 'me.key',
      timeoutMs: 2_500,
    });
    const fromEnv = parseConfig([], { MESOS_CREDENTIALS: 'ops:pa:ss', MESOS_CA_FILE: 'bundle.pem' }).upstream;
    expect(fromEnv.credentials?.principal).toBe('ops');
    expect(fromEnv.caFile).toBe('bundle.pem');
    expect(JSON.stringify(fromEnv)).not.toContain('pa:ss');
  });

  it('sizes the local cluster with --masters and --zk', () => {
    expect(parseConfig(['--masters', '3', '--zk', 'zk://127.0.0.1:2181/mesos'], {})).toMatchObject({
      localMasters: 3,
      localZk: 'zk://127.0.0.1:2181/mesos',
    });
  });

  it.each([
    [['--master', 'zk://zk1:2181'], /group path/],
    [['--master', 'zk://zk1:99999/mesos'], /not a host:port/],
    [['--master', 'http://m:5050', '--zk', 'zk://z/mesos'], /--zk is for the embedded local cluster/],
    [['--zk', 'http://z:2181'], /--zk must be a zk:/],
    [['--cert-file', 'me.pem'], /go together/],
    [['--master-scheme', 'ftp'], /http or https/],
    [['--masters', '9'], /--masters must be/],
    [['--upstream-timeout', '5'], /--upstream-timeout must be/],
  ])('refuses %j with a message that says what is wrong', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  it('never echoes ZooKeeper credentials or MESOS_CREDENTIALS in its errors', () => {
    const messages: string[] = [];
    for (const attempt of [
      () => parseConfig(['--master', 'zk://admin:hunter2@zk1'], {}),
      () => parseConfig([], { MESOS_CREDENTIALS: 'hunter2' }),
      () => parseConfig([], { MESOS_CREDENTIALS: '{"secret": "hunter2"}' }),
    ]) {
      try {
        attempt();
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).not.toContain('hunter2');
  });
});
