import { EventEmitter } from 'node:events';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { PollLoop } from '../upstream/poll-loop';
import { SharedReads } from '../upstream/shared-reads';
import { UpstreamError } from '../upstream/upstream-error';
import type { MarathonClient } from './marathon-client';
import type {
  MarathonApp,
  MarathonDeployment,
  MarathonGroup,
  MarathonInfo,
  MarathonQueue,
} from './marathon-json';
import {
  MarathonAppsSchema,
  MarathonDeploymentsSchema,
  MarathonGroupSchema,
  MarathonInfoSchema,
  MarathonParseError,
  MarathonQueueSchema,
  MarathonVersionsSchema,
  parseMarathon,
} from './marathon-json';

/** Everything the Marathon pages show, read in one round. */
export interface MarathonSnapshot {
  /** Grows only when something Marathon said changed, so unchanged views keep their ETag. */
  version: number;
  fetchedAt: number;
  info: MarathonInfo | null;
  apps: MarathonApp[];
  /** The group tree (ids and dependencies), null when `/v2/groups` could not be read. */
  groups: MarathonGroup | null;
  deployments: MarathonDeployment[];
  queue: MarathonQueue['queue'];
}

interface MarathonSourceStatus {
  connected: boolean;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  /** True while Marathon's event stream is followed. */
  events: boolean;
}

export interface MarathonSourceOptions {
  /** The Marathon's key in mesoscope's URLs (`?marathon=`). */
  key: string;
  /** Its base URL (no trailing slash). */
  url: string;
  origin: 'configured' | 'discovered';
  client: MarathonClient;
  /** How often to read without an event stream. */
  intervalMs?: number;
  /** How often to read anyway while events arrive (they do not carry counts, queue delays or health). */
  eventsIntervalMs?: number;
  /** Follow `/v2/events` (default true). */
  events?: boolean;
  now?: () => number;
}

/** The embeds the Apps and App pages need, in one `/v2/apps` call. */
const APPS_PATH =
  '/v2/apps?embed=app.tasks&embed=app.counts&embed=app.deployments&embed=app.lastTaskFailure&embed=app.taskStats';
const GROUPS_PATH = '/v2/groups?embed=group.groups';

const MARATHON_POLL_MS = 5_000;
const MARATHON_EVENTS_POLL_MS = 30_000;
/** After an event, wait this long for more before reading (a deployment sends a burst). */
const EVENT_SETTLE_MS = 250;
const EVENTS_RETRY_MS = [1_000, 5_000, 30_000, 60_000];
const VERSIONS_TTL_MS = 10_000;

/**
 * Reads one Marathon for every viewer: on a timer, and soon after each event when its `/v2/events` stream is
 * served. A failed read keeps the last good snapshot (the views say it is stale, and why). Reads never overlap.
 */
export class MarathonSource extends EventEmitter<{ snapshot: [MarathonSnapshot]; 'poll-error': [string] }> {
  readonly key: string;
  readonly url: string;
  readonly origin: 'configured' | 'discovered';
  readonly status: MarathonSourceStatus = {
    connected: false,
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
    events: false,
  };
  private latest: MarathonSnapshot | null = null;
  private lastText = '';
  private infoText = '';
  private version = 0;
  private reads = 0;
  private readonly loop = new PollLoop(
    () => this.poll(),
    () => this.intervalMs,
  );
  private eventsAbort: AbortController | null = null;
  private eventsFailures = 0;
  private readonly now: () => number;
  private readonly versionReads: SharedReads<string[]>;

  constructor(private readonly options: MarathonSourceOptions) {
    super();
    this.key = options.key;
    this.url = options.url.replace(/\/+$/, '');
    this.origin = options.origin;
    this.now = options.now ?? Date.now;
    this.versionReads = new SharedReads(() => VERSIONS_TTL_MS, 500, this.now);
  }

  get snapshot(): MarathonSnapshot | null {
    return this.latest;
  }

  get intervalMs(): number {
    return this.status.events
      ? (this.options.eventsIntervalMs ?? MARATHON_EVENTS_POLL_MS)
      : (this.options.intervalMs ?? MARATHON_POLL_MS);
  }

  private get trusted(): boolean {
    return this.origin === 'configured';
  }

  private get running(): boolean {
    return this.loop.running;
  }

  start(): void {
    if (this.running) return;
    this.loop.start();
    if (this.options.events !== false) void this.followEvents();
  }

  stop(): void {
    this.loop.stop();
    this.eventsAbort?.abort();
    this.eventsAbort = null;
  }

  /** Reads now, or joins the read under way. */
  pollOnce(): Promise<void> {
    return this.loop.once();
  }

  /** Resolves once a first snapshot exists or the first read failed. */
  async ready(): Promise<void> {
    if (this.latest || this.status.lastAttemptAt !== null) return;
    await this.pollOnce();
  }

  /** Something changed in Marathon: read soon (once, however many events arrive meanwhile). */
  private readSoon(): void {
    this.loop.soon({ delayMs: EVENT_SETTLE_MS, rereadIfBusy: true });
  }

  private async poll(): Promise<void> {
    this.status.lastAttemptAt = this.now();
    const { client } = this.options;
    const trusted = this.trusted;
    try {
      const readInfo = this.reads % 20 === 0 || !this.latest?.info;
      this.reads += 1;
      const [apps, groups, deployments, queue, info] = await Promise.all([
        client.getJson(this.url, APPS_PATH, trusted),
        // Groups and the queue only refine the pages: an old or restricted Marathon without them still shows apps.
        client.getJson(this.url, GROUPS_PATH, trusted).catch(() => null),
        client.getJson(this.url, '/v2/deployments', trusted),
        client.getJson(this.url, '/v2/queue', trusted).catch(() => null),
        readInfo ? client.getJson(this.url, '/v2/info', trusted).catch(() => null) : Promise.resolve(null),
      ]);
      // /v2/info is read now and then only: between reads, the last one stands.
      if (info) this.infoText = info.text;
      const text = [apps.text, groups?.text ?? '', deployments.text, queue?.text ?? '', this.infoText].join(
        '\n',
      );
      const wasDown = !this.status.connected;
      if (text !== this.lastText || !this.latest) {
        const fetchedAt = this.now();
        const snapshot: MarathonSnapshot = {
          version: this.version + 1,
          fetchedAt,
          info: info
            ? parseMarathon(MarathonInfoSchema, info.json, 'Marathon /v2/info')
            : (this.latest?.info ?? null),
          apps: parseMarathon(MarathonAppsSchema, apps.json, 'Marathon /v2/apps').apps,
          groups: groups ? parseGroups(groups.json) : null,
          deployments: parseMarathon(MarathonDeploymentsSchema, deployments.json, 'Marathon /v2/deployments'),
          queue: queue ? parseQueue(queue.json) : [],
        };
        this.version = snapshot.version;
        this.latest = snapshot;
        this.lastText = text;
        this.markConnected(fetchedAt);
        this.emit('snapshot', snapshot);
      } else {
        this.markConnected(this.now());
        if (wasDown) this.emit('snapshot', this.latest);
      }
    } catch (error) {
      const message =
        error instanceof UpstreamError || error instanceof MarathonParseError
          ? error.message
          : `unexpected error while reading Marathon at ${this.url}`;
      this.status.connected = false;
      this.status.lastError = message;
      this.emit('poll-error', message);
    }
  }

  /**
   * An app's versions (`/v2/apps/{id}/versions`), newest first, read at most once per `VERSIONS_TTL_MS` for
   * all viewers (the App page asks while it is open); a failed read is the answer until then too.
   */
  async versions(id: string): Promise<string[]> {
    const read = await this.versionReads.read(id, async () => {
      const path = `/v2/apps${id.split('/').map(encodeURIComponent).join('/')}/versions`;
      const { json } = await this.options.client.getJson(this.url, path, this.trusted);
      const parsed = parseMarathon(MarathonVersionsSchema, json, `Marathon /v2/apps${id}/versions`);
      return [...parsed.versions].sort().reverse().slice(0, 100);
    });
    if (read.error !== undefined) throw read.error;
    return read.value ?? [];
  }

  private markConnected(at: number): void {
    this.status.connected = true;
    this.status.lastSuccessAt = at;
    this.status.lastError = null;
  }

  /**
   * Follows `/v2/events` (server-sent events) while mesoscope runs: every event but the greeting means a
   * re-read soon. A Marathon that does not serve them (404, or not an event stream) is polled only, and asked
   * again later with a growing pause.
   */
  private async followEvents(): Promise<void> {
    while (this.running) {
      const abort = new AbortController();
      this.eventsAbort = abort;
      try {
        const response = await request(`${this.url}/v2/events`, {
          method: 'GET',
          dispatcher: this.options.client.dispatcher(this.trusted),
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
          headersTimeout: this.options.client.options.timeoutMs,
          // Marathon is quiet between changes: an idle stream is fine.
          bodyTimeout: 0,
        });
        const type = String(response.headers['content-type'] ?? '');
        if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
          response.body.destroy();
          throw new Error(`no event stream (HTTP ${response.statusCode})`);
        }
        await this.readEvents(response.body);
      } catch {
        // Down, refused or not served: polled meanwhile.
      }
      if (this.status.events) {
        this.status.events = false;
        this.eventsFailures = 0;
        this.readSoon();
      } else {
        this.eventsFailures += 1;
      }
      if (!this.running) return;
      const pause = EVENTS_RETRY_MS[Math.min(this.eventsFailures, EVENTS_RETRY_MS.length - 1)]!;
      await new Promise((resolve) => setTimeout(resolve, pause).unref());
    }
  }

  private async readEvents(body: Dispatcher.ResponseData['body']): Promise<void> {
    let pending = '';
    for await (const chunk of body) {
      if (!this.status.events) {
        this.status.events = true;
        this.eventsFailures = 0;
      }
      // Lines may end in CRLF or CR as well as LF (and some servers keep the stream alive with bare CRLFs).
      pending += (chunk as Buffer).toString('utf8').replace(/\r\n?/g, '\n');
      // Events end with a blank line; anything after the last one waits for the rest of its event.
      const end = pending.lastIndexOf('\n\n');
      if (end < 0) {
        if (pending.length > 1_048_576) pending = '';
        continue;
      }
      const events = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const names = [...events.matchAll(/^event:\s*(.*)$/gm)].map((match) => match[1]!.trim());
      if (names.some((name) => name !== 'event_stream_attached' && name !== 'event_stream_detached')) {
        this.readSoon();
      }
    }
  }
}

function parseGroups(json: unknown): MarathonGroup | null {
  try {
    return parseMarathon(MarathonGroupSchema, json, 'Marathon /v2/groups');
  } catch {
    return null;
  }
}

function parseQueue(json: unknown): MarathonQueue['queue'] {
  try {
    return parseMarathon(MarathonQueueSchema, json, 'Marathon /v2/queue').queue;
  } catch {
    return [];
  }
}
