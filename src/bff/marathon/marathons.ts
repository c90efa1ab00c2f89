import { EventEmitter } from 'node:events';
import type { Framework } from '../../mesos';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { agentAddress } from '../upstream/agent-address';
import type { MarathonClient } from './marathon-client';
import { MarathonInfoSchema, looksLikeMarathon } from './marathon-json';
import { MarathonSource } from './marathon-source';
import type { MarathonSourceOptions } from './marathon-source';

interface MarathonsOptions {
  client: MarathonClient;
  /** `--marathon`: base URLs, each one Marathon. */
  configured: readonly string[];
  /** The Mesos poller, whose frameworks' `webui_url`s may be Marathons; absent: configured ones only. */
  cluster?: ClusterPoller;
  source?: Pick<MarathonSourceOptions, 'intervalMs' | 'eventsIntervalMs' | 'events' | 'now'>;
  /**
   * How long before a framework's web UI that did not answer as Marathon is asked again the first time; each
   * further miss doubles it, up to {@link MAX_PROBE_BACKOFF} times (default 60 s).
   */
  retryMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/** A web UI that keeps not being Marathon is asked again at most every this many first waits. */
const MAX_PROBE_BACKOFF = 32;

/** Frameworks' web UIs asked at the same time whether they are Marathon. */
const PROBES_AT_ONCE = 8;

/** The key of a Marathon in mesoscope's URLs: its host and port. */
function marathonKey(url: string): string {
  return new URL(url).host;
}

/**
 * The Marathons mesoscope reads: those given with `--marathon`, and those found in the cluster, where a
 * framework's `webui_url` answers `/v2/info` as Marathon (the same framework). What the cluster says is not
 * trusted: only an http(s) URL of a host and port (the rules for agents' addresses, and no path, userinfo or
 * query) is asked, without credentials, and only if it names the framework that gave it.
 */
export class Marathons extends EventEmitter<{ change: [] }> {
  private readonly sources = new Map<string, MarathonSource>();
  /** Web UI URLs asked and found not Marathon (or not answering): when last, and how many times in a row. */
  private readonly probed = new Map<string, { at: number; misses: number }>();
  private readonly probing = new Set<string>();
  private readonly webUis = new Map<
    string,
    { text: string | undefined; url: string | null; key: string | null }
  >();
  private running = false;
  private readonly onSnapshot = (snapshot: ClusterSnapshot) => void this.discover(snapshot);

  constructor(private readonly options: MarathonsOptions) {
    super();
    for (const url of options.configured) {
      const key = marathonKey(url);
      if (!this.sources.has(key)) this.sources.set(key, this.create(url, key, 'configured'));
    }
  }

  /** Every known Marathon, configured ones first. */
  list(): MarathonSource[] {
    return [...this.sources.values()];
  }

  /** The one named by key; without a key, the first. */
  get(key?: string | null): MarathonSource | undefined {
    if (!key) return this.sources.values().next().value;
    return this.sources.get(key);
  }

  /** The Marathon that runs this Mesos framework, when known. */
  byFrameworkId(frameworkId: string): MarathonSource | undefined {
    return this.list().find((source) => source.snapshot?.info?.frameworkId === frameworkId);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const source of this.sources.values()) source.start();
    this.options.cluster?.on('snapshot', this.onSnapshot);
    const snapshot = this.options.cluster?.snapshot;
    if (snapshot) void this.discover(snapshot);
  }

  stop(): void {
    this.running = false;
    this.options.cluster?.off('snapshot', this.onSnapshot);
    for (const source of this.sources.values()) source.stop();
  }

  private create(url: string, key: string, origin: 'configured' | 'discovered'): MarathonSource {
    const source = new MarathonSource({
      ...this.options.source,
      key,
      url,
      origin,
      client: this.options.client,
    });
    source.on('poll-error', (message) => this.options.log?.(`marathon ${key}: ${message}`));
    return source;
  }

  /** Looks at the cluster's frameworks for Marathons not known yet, and forgets discovered ones that left. */
  async discover(snapshot: ClusterSnapshot): Promise<void> {
    const frameworks = snapshot.state.frameworks.filter((framework) => framework.active !== false);
    const listed = new Set<string>();
    const now = this.now();
    const retryMs = this.options.retryMs ?? 60_000;
    const candidates: { url: string; key: string; framework: Framework }[] = [];
    const served = new Set<string>();
    for (const source of this.sources.values()) {
      const frameworkId = source.snapshot?.info?.frameworkId;
      if (frameworkId) served.add(frameworkId);
    }
    for (const framework of frameworks) {
      const { url, key } = this.webUiOf(framework);
      if (!url || !key) continue;
      listed.add(key);
      if (this.sources.has(key) || this.probing.has(key)) continue;
      if (served.has(framework.id)) continue;
      // A big cluster's frameworks mostly serve no Marathon: each is asked less and less often.
      const asked = this.probed.get(key);
      if (asked && now - asked.at < retryMs * Math.min(MAX_PROBE_BACKOFF, 2 ** (asked.misses - 1))) continue;
      this.probing.add(key);
      candidates.push({ url, key, framework });
    }
    for (const key of this.probed.keys()) if (!listed.has(key)) this.probed.delete(key);
    if (this.webUis.size > frameworks.length * 2) {
      const ids = new Set(frameworks.map((framework) => framework.id));
      for (const id of this.webUis.keys()) if (!ids.has(id)) this.webUis.delete(id);
    }
    for (const [key, source] of this.sources) {
      // Found before a configured one (another name for the same Marathon) said which framework it is.
      const frameworkId = source.snapshot?.info?.frameworkId;
      const twin =
        frameworkId &&
        this.list().some(
          (other) => other.origin === 'configured' && other.snapshot?.info?.frameworkId === frameworkId,
        );
      if (source.origin === 'discovered' && (!listed.has(key) || twin)) {
        source.stop();
        this.sources.delete(key);
        this.emit('change');
      }
    }
    // A few at a time: a big cluster's first snapshot lists hundreds of web UIs, and asking them all at once
    // held mesoscope's thread for most of a second while it served its first data.
    const next = async (): Promise<void> => {
      for (let ask = candidates.shift(); ask; ask = candidates.shift())
        await this.probe(ask.url, ask.key, ask.framework);
    };
    await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, candidates.length) }, next));
  }

  private async probe(url: string, key: string, framework: Framework): Promise<void> {
    try {
      const json = await this.options.client.probe(url);
      const info = MarathonInfoSchema.safeParse(json);
      const same = info.success && (!info.data.frameworkId || info.data.frameworkId === framework.id);
      if (!info.success || !looksLikeMarathon(info.data) || !same) {
        this.missed(key);
        return;
      }
      if (!this.running || this.sources.has(key)) return;
      const source = this.create(url, key, 'discovered');
      this.sources.set(key, source);
      this.options.log?.(`marathon found: framework ${framework.name} serves Marathon at ${url}`);
      source.start();
      this.emit('change');
    } catch {
      this.missed(key);
    } finally {
      this.probing.delete(key);
    }
  }

  /**
   * A framework's web UI as a URL to ask and its key, worked out once per framework and URL: a framework is a
   * new object whenever its tasks change, and parsing 1,000 URLs every publish made garbage for nothing.
   */
  private webUiOf(framework: Framework): { url: string | null; key: string | null } {
    let known = this.webUis.get(framework.id);
    if (!known || known.text !== framework.webui_url) {
      const url = webUiBase(framework);
      known = { text: framework.webui_url, url, key: url ? marathonKey(url) : null };
      this.webUis.set(framework.id, known);
    }
    return known;
  }

  private missed(key: string): void {
    this.probed.set(key, { at: this.now(), misses: (this.probed.get(key)?.misses ?? 0) + 1 });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/**
 * A framework's web UI as a base URL mesoscope may ask, or null: http(s), a host and port as agents' addresses
 * must be (a DNS name or an IP address), no userinfo, and nothing after the host but `/`.
 */
export function webUiBase(framework: Pick<Framework, 'id' | 'webui_url'>): string | null {
  const text = framework.webui_url?.trim();
  if (!text || !URL.canParse(text)) return null;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // The host as written, not as a URL parser rewrites it (`0x7f.1` is 127.0.0.1 to it).
  if (!text.toLowerCase().startsWith(`${url.protocol}//${url.host}`)) return null;
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    return null;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  try {
    const { base } = agentAddress({ id: framework.id, pid: '', hostname, port });
    return `${url.protocol}//${base.slice('http://'.length)}`;
  } catch {
    return null;
  }
}
