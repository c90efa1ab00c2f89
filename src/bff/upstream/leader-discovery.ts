import type { MesosClient } from './mesos-client';
import { origin } from './mesos-client';
import { UpstreamError } from './upstream-error';

/**
 * Finds the leading master among the configured ones. A Mesos master answers `/master/redirect` with a 307 to
 * `//leader-host:port`, whichever master is asked, so asking any live master is enough; the answer keeps the
 * scheme of the master that was asked.
 */
export class LeaderDiscovery {
  private current: string | null = null;

  constructor(
    private readonly masters: readonly string[],
    private readonly client: MesosClient,
  ) {
    if (masters.length === 0) throw new Error('at least one master URL is required');
  }

  /** The leader found last, if any. */
  get leader(): string | null {
    return this.current;
  }

  /** Forget the leader (it failed); the next `find()` asks every master again. */
  forget(): void {
    this.current = null;
  }

  /** Remember a leader learnt elsewhere (e.g. from a 307 on a state request). */
  adopt(url: string): void {
    this.current = url;
  }

  /** Returns the current leader, asking the masters in turn when none is known. */
  async find(): Promise<string> {
    if (this.current) return this.current;
    const failures: string[] = [];
    for (const master of this.masters) {
      try {
        const { status, location } = await this.client.getText(master, '/master/redirect');
        if ((status === 307 || status === 302) && location) {
          this.current = resolveLeaderLocation(master, location);
          return this.current;
        }
        if (status === 503) failures.push(`${origin(master)}: no leader elected`);
        else failures.push(`${origin(master)}: unexpected HTTP ${status} from /master/redirect`);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    throw new UpstreamError('no-leader', `No leading master found (${failures.join('; ')})`);
  }
}

/**
 * `//host:port[/path]` (what Mesos sends) or an absolute URL → the leader's base URL, with the scheme and any
 * path prefix of the master that answered.
 */
export function resolveLeaderLocation(askedMaster: string, location: string): string {
  const asked = new URL(askedMaster);
  const resolved = new URL(location, asked);
  const prefix = asked.pathname.replace(/\/+$/, '');
  return `${asked.protocol}//${resolved.host}${prefix}`;
}
