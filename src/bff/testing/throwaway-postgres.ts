import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../testing/free-port';

/** Where Debian (or a PG_BIN override) keeps the server binaries; null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const override = process.env['PG_BIN'];
  if (override && existsSync(path.join(override, 'initdb'))) return override;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

export const POSTGRES_INSTALL_HINT =
  "PostgreSQL tests skipped: install Debian's 'postgresql' package (sudo apt-get install postgresql)";

export interface ThrowawayPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts the server again (halting it first if it runs) on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server at once, as a crash would. */
  halt(): Promise<void>;
}

/**
 * A PostgreSQL cluster of its own in a temporary directory, on a free loopback port, trusting local
 * connections; run as the `postgres` system user when started as root (the server refuses root).
 */
export async function startThrowawayPostgres(bin: string): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) {
      throw new Error(`${tool} failed: ${result.stderr || result.stdout || String(result.error)}`);
    }
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'mesoscope', '--no-sync', '-E', 'UTF8']);
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      path.join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
  const halt = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  const url = `postgres://mesoscope@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    halt: async () => halt(),
    restart: async () => {
      try {
        halt();
      } catch {
        // Already halted.
      }
      start();
    },
    stop: async () => {
      try {
        halt();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database of its own in the throwaway cluster, so tests do not see each other's rows. */
export function createDatabase(server: ThrowawayPostgres, bin: string, name: string): string {
  const asRoot = process.getuid?.() === 0;
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'mesoscope', name];
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'createdb'), ...args]);
  else execFileSync(path.join(bin, 'createdb'), args);
  return server.url.replace(/\/postgres$/, `/${name}`);
}
