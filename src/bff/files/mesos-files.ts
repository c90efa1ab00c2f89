import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { FileErrorReason } from '../schemas/files';
import { agentAddress } from '../upstream/agent-address';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';
import { origin } from '../upstream/mesos-client';
import { bodyTooLarge, readCapped } from '../upstream/body-limit';
import { toUpstreamError } from '../upstream/upstream-error';
import { Limiter } from './limiter';
import { StreamUnavailable } from './line-reader';
import { parseReadBody, ReadBodyError } from './read-body';

/** Mesos answers at most 16 pages (64 KiB with 4 KiB pages) per `/files/read`. */
export const MESOS_READ_CAP = 64 * 1024;

/**
 * The largest `/files/read` answer read: a read asks for at most 64 KiB, which JSON-escaped byte by byte (old
 * Mesos) is 384 KiB. More is a broken or hostile agent, refused before it costs memory.
 */
const MAX_READ_BODY = 1024 * 1024;

/** Upstream reads one BFF runs at the same time for all viewers and searches together. */
const MAX_UPSTREAM_FILE_READS = 16;

/** Upstream reads one range read or one search keeps in flight. */
export const READS_IN_FLIGHT = 8;

/** Where a file lives: the leading master (its log) or an agent (sandboxes and `/slave/log`). */
export type FileSourceRef = { kind: 'master' } | { kind: 'agent'; agentId: string };

/** A resolved source: the base URL to read from and a name for messages. */
export interface FileTarget {
  base: string;
  label: string;
  /** A stable key for caches: which daemon. */
  key: string;
}

const HTTP_STATUS: Record<FileErrorReason, number> = {
  'bad-request': 400,
  'file-not-found': 404,
  'agent-not-found': 404,
  'is-directory': 400,
  forbidden: 403,
  unreachable: 502,
  timeout: 504,
  upstream: 502,
  busy: 429,
};

/** Why a file could not be read, with the status the browser should get. */
export class FileAccessError extends Error {
  override readonly name = 'FileAccessError';

  constructor(
    readonly reason: FileErrorReason,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.reason];
  }
}

type ReadAnswer = { offset: number; data: Buffer };

/** One upstream read and the readers waiting for it. */
interface SharedCall {
  answer: Promise<ReadAnswer>;
  controller: AbortController;
  waiting: number;
}

interface MesosFilesDeps {
  client: MesosClient;
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
}

/**
 * Reads sandbox and log files through the Mesos `/files` API, byte-exactly: sizes with `offset=-1`, and
 * ranges of any length as 64 KiB reads, a few in flight at a time, under one limit for the whole BFF.
 */
export class MesosFiles {
  private readonly limiter = new Limiter(MAX_UPSTREAM_FILE_READS);
  /** Reads in flight by daemon, path, offset and length: identical reads share one request upstream. */
  private readonly inFlight = new Map<string, SharedCall>();

  constructor(private readonly deps: MesosFilesDeps) {}

  /** Resolves a source to an upstream address: agents only by the id the master knows. */
  async target(source: FileSourceRef): Promise<FileTarget> {
    if (source.kind === 'master') {
      try {
        const base = await this.deps.discovery.find();
        return { base, label: 'the leading master', key: `master:${base}` };
      } catch (error) {
        throw new FileAccessError('unreachable', toUpstreamError(error, 'the leading master').message);
      }
    }
    const agent = this.deps.poller.snapshot?.agentsById.get(source.agentId);
    if (!agent) throw new FileAccessError('agent-not-found', `No agent found with ID: ${source.agentId}`);
    let base: string;
    try {
      base = agentAddress(agent).base;
    } catch (error) {
      throw new FileAccessError('upstream', (error as Error).message);
    }
    return { base, label: `agent ${source.agentId} (${origin(base)})`, key: `agent:${source.agentId}` };
  }

  /** The file's size in bytes (`offset=-1`). */
  async size(target: FileTarget, path: string, signal?: AbortSignal): Promise<number> {
    return (await this.call(target, path, -1, -1, signal)).offset;
  }

  /** At most {@link MESOS_READ_CAP} bytes at `offset`; fewer at the end of the file. */
  async read(
    target: FileTarget,
    path: string,
    offset: number,
    length: number,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const { data } = await this.call(target, path, offset, Math.min(length, MESOS_READ_CAP), signal);
    return data.length > length ? data.subarray(0, length) : data;
  }

  /**
   * `length` bytes at `offset` (fewer if the file ends first), read as 64 KiB pieces with
   * {@link READS_IN_FLIGHT} in flight. A short piece means the end of the file: nothing after it is used.
   */
  async readRange(
    target: FileTarget,
    path: string,
    offset: number,
    length: number,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const count = Math.ceil(length / MESOS_READ_CAP);
    const pieces: Buffer[] = new Array<Buffer>(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next;
        next += 1;
        const start = offset + index * MESOS_READ_CAP;
        const size = Math.min(MESOS_READ_CAP, offset + length - start);
        pieces[index] = await this.read(target, path, start, size, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, count) }, worker));
    const kept: Buffer[] = [];
    for (let index = 0; index < count; index += 1) {
      const piece = pieces[index] ?? Buffer.alloc(0);
      kept.push(piece);
      if (piece.length < Math.min(MESOS_READ_CAP, offset + length - (offset + index * MESOS_READ_CAP))) break;
    }
    return Buffer.concat(kept);
  }

  /**
   * The first `limit` bytes of the file as they arrive from `/files/download` (one request, raw bytes). A
   * file that grows meanwhile is cut at `limit`. Refusals other than "not found" throw StreamUnavailable so
   * the caller can read in pieces instead.
   */
  async *download(
    target: FileTarget,
    path: string,
    limit: number,
    signal?: AbortSignal,
  ): AsyncGenerator<Buffer> {
    if (limit <= 0) return;
    const url = `${target.base}/files/download?${new URLSearchParams({ path }).toString()}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher: this.deps.client.dispatcher,
        signal: signal ?? null,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const upstream = toUpstreamError(error, target.label);
      throw new FileAccessError(upstream.kind === 'timeout' ? 'timeout' : 'unreachable', upstream.message);
    }
    if (response.statusCode === 404) {
      await response.body.dump();
      throw new FileAccessError('file-not-found', `${path} does not exist (yet)`);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new StreamUnavailable(`${target.label} answered HTTP ${response.statusCode} to a download`);
    }
    let received = 0;
    try {
      for await (const chunk of response.body) {
        const bytes = chunk as Buffer;
        if (received + bytes.length >= limit) {
          yield bytes.subarray(0, limit - received);
          return;
        }
        received += bytes.length;
        yield bytes;
      }
    } finally {
      // Stopped early (the limit, a full match list, the browser gone): drop the rest of the download.
      if (!response.body.destroyed) response.body.destroy();
    }
  }

  /**
   * One `/files/read`, shared with every identical read in flight (the same bytes of the same file asked by
   * many viewers at once). It is cancelled upstream only when every reader waiting for it has gone away.
   */
  private call(
    target: FileTarget,
    path: string,
    offset: number,
    length: number,
    signal?: AbortSignal,
  ): Promise<ReadAnswer> {
    signal?.throwIfAborted();
    const key = `${target.key}\n${path}\n${offset}\n${length}`;
    let shared = this.inFlight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const answer = this.callOnce(target, path, offset, length, controller.signal).finally(() => {
        if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
      });
      // Every reader may have gone away: the failure then has nobody to reach.
      answer.catch(() => undefined);
      shared = { answer, controller, waiting: 0 };
      this.inFlight.set(key, shared);
    }
    return this.waitFor(key, shared, signal);
  }

  private waitFor(key: string, shared: SharedCall, signal?: AbortSignal): Promise<ReadAnswer> {
    shared.waiting += 1;
    if (!signal) return shared.answer;
    return new Promise<ReadAnswer>((resolve, reject) => {
      const leave = () => {
        shared.waiting -= 1;
        reject(signal.reason as Error);
        if (shared.waiting === 0) {
          if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
          shared.controller.abort();
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      shared.answer.then(
        (answer) => {
          signal.removeEventListener('abort', leave);
          resolve(answer);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error as Error);
        },
      );
    });
  }

  private async callOnce(
    target: FileTarget,
    path: string,
    offset: number,
    length: number,
    signal: AbortSignal,
  ): Promise<ReadAnswer> {
    const query = new URLSearchParams({ path, offset: String(offset), length: String(length) });
    const url = `${target.base}/files/read?${query.toString()}`;
    return this.limiter.run(async () => {
      signal.throwIfAborted();
      let status: number;
      let body: Buffer;
      try {
        const response = await request(url, {
          method: 'GET',
          dispatcher: this.deps.client.dispatcher,
          headers: { accept: 'application/json' },
          signal,
        });
        status = response.statusCode;
        const limit = Math.min(MAX_READ_BODY, this.deps.client.maxBodyBytes);
        body = await readCapped(response.body, response.headers, limit, () =>
          bodyTooLarge(`${target.label} /files/read of ${path}`, limit, null),
        );
      } catch (error) {
        if (signal.aborted) throw error;
        const upstream = toUpstreamError(error, target.label);
        const reason =
          upstream.kind === 'timeout'
            ? 'timeout'
            : upstream.kind === 'malformed'
              ? 'upstream'
              : 'unreachable';
        throw new FileAccessError(reason, upstream.message);
      }
      if (status === 404) throw new FileAccessError('file-not-found', `${path} does not exist (yet)`);
      if (status === 401 || status === 403) {
        throw new FileAccessError('forbidden', `${target.label} does not allow reading ${path}`);
      }
      if (status === 400) {
        const text = body.toString('utf8', 0, 300).trim();
        if (/directory/i.test(text)) throw new FileAccessError('is-directory', `${path} is a directory`);
        throw new FileAccessError('upstream', `${target.label} refused to read ${path}: ${text}`);
      }
      if (status < 200 || status >= 300) {
        throw new FileAccessError('upstream', `${target.label} answered HTTP ${status} reading ${path}`);
      }
      try {
        return parseReadBody(body);
      } catch (error) {
        if (error instanceof ReadBodyError) throw new FileAccessError('upstream', error.message);
        throw error;
      }
    });
  }
}
