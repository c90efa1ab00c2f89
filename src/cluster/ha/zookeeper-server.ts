import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../testing/free-port';

/** The one line a test prints (and, under CI, fails with) when no ZooKeeper is installed. */
export const ZOOKEEPER_MISSING =
  "No ZooKeeper found: run scripts/ensure-zookeeper.sh (installs Debian's 'zookeeper' as root), or install it with 'sudo apt-get install zookeeper', or set ZOOKEEPER_HOME to a ZooKeeper release.";

/**
 * The Java classpath of an installed ZooKeeper: a release in `$ZOOKEEPER_HOME` (`lib/*.jar`), else Debian's
 * package (`/usr/share/java/zookeeper.jar`, whose manifest names its dependencies). Null when there is none
 * or no `java`. Keep in step with scripts/ensure-zookeeper.sh.
 */
export function findZooKeeperClasspath(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!hasJava(env)) return null;
  const home = env['ZOOKEEPER_HOME'];
  if (home && existsSync(join(home, 'lib'))) {
    const jars = readdirSync(join(home, 'lib')).filter((name) => name.endsWith('.jar'));
    if (jars.some((name) => name.startsWith('zookeeper-')))
      return jars.map((name) => join(home, 'lib', name)).join(':');
  }
  return existsSync('/usr/share/java/zookeeper.jar') ? '/usr/share/java/zookeeper.jar' : null;
}

function hasJava(env: NodeJS.ProcessEnv): boolean {
  return (env['PATH'] ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'java')));
}

/** A standalone ZooKeeper server for tests, on a free loopback port, with its own data dir. */
export interface TestZooKeeper {
  port: number;
  /** `127.0.0.1:port`. */
  servers: string;
  /** `zk://127.0.0.1:port<path>`. */
  url(path?: string): string;
  /** Stops the server (clients see it go away); its data stays for {@link start}. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data dir. */
  close(): Promise<void>;
}

/**
 * Starts `org.apache.zookeeper.server.quorum.QuorumPeerMain` with a config of its own (standalone, loopback only,
 * no admin server) and resolves once it answers on its port with its own data dir (`conf`: another test's
 * ZooKeeper may have taken a free port first). Throws {@link ZOOKEEPER_MISSING} when none is installed.
 */
export async function startZooKeeper(): Promise<TestZooKeeper> {
  const classpath = findZooKeeperClasspath();
  if (!classpath) throw new Error(ZOOKEEPER_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'mesoscope-zk-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const config = join(dir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      'tickTime=500',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'minSessionTimeout=1000',
      'maxSessionTimeout=30000',
      'admin.enableServer=false',
      '4lw.commands.whitelist=conf',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  const killNow = () => child?.kill('SIGKILL');
  process.on('exit', killNow);

  const start = async () => {
    if (child) return;
    let output = '';
    const started = spawn(
      'java',
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Dzookeeper.admin.enableServer=false',
        '-Dzookeeper.jmx.log4j.disable=true',
        '-cp',
        classpath,
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    const deadline = Date.now() + 30_000;
    while (!(await servesDataDir(port, join(dir, 'data')))) {
      if (child !== started) throw new Error(`ZooKeeper exited at start: ${output.trim()}`);
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`ZooKeeper did not start within 30 s: ${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    const running = child;
    if (!running) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    servers: `127.0.0.1:${port}`,
    url: (path = '/mesos') => `zk://127.0.0.1:${port}${path}`,
    stop,
    start,
    close: async () => {
      await stop();
      process.off('exit', killNow);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the ZooKeeper answering on `port` is the one keeping its data in `dataDir`. */
function servesDataDir(port: number, dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('conf'));
    let answer = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () =>
      resolve(answer.split('\n').some((line) => line.startsWith(`dataDir=${dataDir}`))),
    );
    socket.on('error', () => resolve(false));
  });
}
