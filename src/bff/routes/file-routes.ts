import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { scanChunks } from '../files/file-scan';
import { FileTails } from '../files/file-tails';
import { appInstances, appOfSandboxPath } from '../files/instances';
import { LineIndex } from '../files/line-index';
import type { ByteSource } from '../files/line-reader';
import { LineReader } from '../files/line-reader';
import { lineText } from '../files/lines';
import type { FileSourceRef, FileTarget } from '../files/mesos-files';
import { BudgetFullError, ByteBudget } from '../files/limiter';
import { FileAccessError, MESOS_READ_CAP, MesosFiles, READS_IN_FLIGHT } from '../files/mesos-files';
import { LineSearcher, PatternTooSlowError, SearchPatternError } from '../files/search';
import { sendBadRequest, sendInvalidQuery } from '../http-errors';
import type { AgentReadings } from '../reading/agent-readings';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { FileErrorBody, FileErrorReason, LineText, SearchEvent } from '../schemas/files';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';

/** Default and largest page of lines, in bytes. */
const DEFAULT_PAGE_BYTES = 256 * 1024;
const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** Most of one line `line-text` returns. */
const MAX_LINE_TEXT = 8 * 1024 * 1024;
/** Whole-file searches running at once in this BFF; more get a 429. */
export const MAX_CONCURRENT_SEARCHES = 4;
/**
 * Bytes of file that pages of lines and long lines being answered may hold at once, all viewers together:
 * each request holds what it asked for until its answer is sent (its text and JSON are a few times that), the
 * rest wait in order, and past {@link MAX_WAITING_READS} waiting requests get a 429. 200 requests for 8 MiB
 * lines at once thus hold 16 MiB of file at a time, not 1.6 GB.
 */
const FILE_ANSWER_BUDGET_BYTES = 16 * 1024 * 1024;
const MAX_WAITING_READS = 1_000;
/** A search stops after this many matching lines. */
const MAX_SEARCH_MATCHES = 10_000;
const SEARCH_BATCH_BYTES = 256 * 1024;
const SEARCH_MAX_LINE_BYTES = 4 * 1024 * 1024;
const PROGRESS_EVERY_MS = 250;

/**
 * Pages of lines can be megabytes while a fast log is followed: gzip at level 1 still shrinks log text about
 * tenfold and costs a few ms per MB, where brotli would hold the answer back for much longer.
 */
const FAST_COMPRESSION = {
  encodings: ['gzip', 'deflate'] as ('gzip' | 'deflate')[],
  zlibOptions: { level: 1 },
};

const offsetParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const FileQuery = z.object({
  /** An agent id; absent means the leading master (its log). */
  agent: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/)
    .optional(),
  path: z
    .string()
    .min(1)
    .max(4096)
    .refine((path) => path.startsWith('/'), 'path must be absolute')
    .refine((path) => !/(^|\/)\.\.(\/|$)/.test(path), "'..' is not allowed in path")
    // eslint-disable-next-line no-control-regex
    .refine((path) => !/[\u0000-\u001f\u007f]/.test(path), 'control characters in path'),
});

const LinesQuery = FileQuery.extend({
  tail: z.literal(['', '1', 'true']).optional(),
  before: offsetParam.optional(),
  after: offsetParam.optional(),
  at: offsetParam.optional(),
  bytes: z.coerce.number().int().min(1).max(MAX_PAGE_BYTES).default(DEFAULT_PAGE_BYTES),
  known: offsetParam.optional(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{8}$/)
    .optional(),
});

const LineTextQuery = FileQuery.extend({
  offset: offsetParam,
  length: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

const LocateQuery = FileQuery.extend({ offset: offsetParam.optional(), line: offsetParam.optional() });

const SearchQuerySchema = FileQuery.extend({
  q: z.string().min(1).max(1000),
  regex: z.enum(['0', '1']).default('0'),
  case: z.enum(['0', '1']).default('0'),
});

const InstancesQuery = z.union([
  z.object({ framework: z.string().min(1).max(500), name: z.string().min(1).max(500) }),
  z.object({ agent: z.string().min(1).max(200), path: z.string().min(1).max(4096) }),
]);

interface FileRoutesDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  client: MesosClient;
  agents: AgentReadings;
  /** How long one read of a file's end answers every viewer following it (default 1 s). */
  fileTailTtlMs?: number;
}

function sendFileError(reply: FastifyReply, status: number, reason: FileErrorReason, message: string) {
  const body: FileErrorBody = {
    error:
      status === 404
        ? 'Not Found'
        : status === 429
          ? 'Too Many Requests'
          : status < 500
            ? 'Bad Request'
            : 'Bad Gateway',
    message,
    statusCode: status,
    reason,
  };
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

function sendBusy(reply: FastifyReply, message: string): FastifyReply {
  return sendFileError(reply.header('retry-after', '1'), 429, 'busy', message);
}

/**
 * Holds `cost` bytes of the budget until the answer is sent or the browser goes away; null when the request
 * was answered instead (429: too many waiting) or its browser left while it waited.
 */
async function holdBudget(
  budget: ByteBudget,
  cost: number,
  reply: FastifyReply,
  signal: AbortSignal,
): Promise<(() => void) | null> {
  try {
    const release = await budget.acquire(cost, signal);
    reply.raw.once('close', release);
    return release;
  } catch (error) {
    if (error instanceof BudgetFullError) {
      sendBusy(reply, 'Too many file reads are waiting in mesoscope; try again shortly');
      return null;
    }
    if (signal.aborted) return null;
    throw error;
  }
}

function sendFailure(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof FileAccessError)
    return sendFileError(reply, error.status, error.reason, error.message);
  throw error;
}

function parse<T extends z.ZodType>(
  schema: T,
  request: FastifyRequest,
  reply: FastifyReply,
): z.output<T> | null {
  const parsed = schema.safeParse(request.query);
  if (parsed.success) return parsed.data;
  sendInvalidQuery(reply, parsed.error);
  return null;
}

/** Aborts when the browser goes away before the answer is complete. */
function abortOnClose(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  // Every upstream read of the request listens on this signal (up to 8 in flight, more queued): not a leak.
  setMaxListeners(256, controller.signal);
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller;
}

function sourceOf(agent: string | undefined): FileSourceRef {
  return agent === undefined ? { kind: 'master' } : { kind: 'agent', agentId: agent };
}

/** One file as random-access bytes for the duration of a request (the size is asked once). */
function byteSource(files: MesosFiles, target: FileTarget, path: string, signal: AbortSignal): ByteSource {
  let size: Promise<number> | null = null;
  return {
    size: () => (size ??= files.size(target, path, signal)),
    read: (offset, length) => files.readRange(target, path, offset, length, signal),
    stream: (limit) => files.download(target, path, limit, signal),
  };
}

/**
 * The file endpoints behind the viewer: pages of whole lines by byte offset (`lines`), one long line in full
 * (`line-text`), line numbers (`locate`), a streamed whole-file search (`search`), and the instances of an app
 * (`instances`). Everything is read through the Mesos `/files/read` API, byte-exactly; pages of lines see a
 * file's end as it was read at most `fileTailTtlMs` ago for all viewers together.
 */
export function registerFileRoutes(app: FastifyInstance, deps: FileRoutesDeps): void {
  const files = new MesosFiles(deps);
  const tails = new FileTails(files, deps.fileTailTtlMs);
  const lineIndex = new LineIndex();
  const budget = new ByteBudget(FILE_ANSWER_BUDGET_BYTES, MAX_WAITING_READS);
  let searches = 0;

  app.get('/api/files/lines', { compress: FAST_COMPRESSION }, async (request, reply) => {
    const query = parse(LinesQuery, request, reply);
    if (!query) return reply;
    const modes = [
      query.tail !== undefined,
      query.before !== undefined,
      query.after !== undefined,
      query.at !== undefined,
    ];
    if (modes.filter(Boolean).length !== 1) {
      return sendBadRequest(reply, 'Give exactly one of tail, before, after or at');
    }
    const controller = abortOnClose(reply);
    if (!(await holdBudget(budget, query.bytes, reply, controller.signal))) return reply;
    try {
      const target = await files.target(sourceOf(query.agent));
      // Viewers following a file all read near its end: they share one read of it per interval.
      const reader = new LineReader(tails.source(target, query.path, controller.signal));
      const answer =
        query.before !== undefined
          ? await reader.before(query.before, query.bytes)
          : query.after !== undefined
            ? await reader.after(query.after, query.bytes, { known: query.known, hash: query.hash })
            : query.at !== undefined
              ? await reader.around(query.at, query.bytes)
              : await reader.tail(query.bytes);
      return reply.header('cache-control', 'no-store').send(answer);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get('/api/files/line-text', async (request, reply) => {
    const query = parse(LineTextQuery, request, reply);
    if (!query) return reply;
    const controller = abortOnClose(reply);
    const wanted = Math.min(query.length, MAX_LINE_TEXT);
    if (!(await holdBudget(budget, wanted, reply, controller.signal))) return reply;
    try {
      const target = await files.target(sourceOf(query.agent));
      const bytes = await files.readRange(target, query.path, query.offset, wanted, controller.signal);
      const newline = bytes.indexOf(0x0a);
      const line = newline === -1 ? bytes : bytes.subarray(0, newline);
      const body: LineText = {
        offset: query.offset,
        length: line.length,
        text: lineText(line),
        cut: newline === -1 && query.length > line.length,
      };
      return reply.header('cache-control', 'no-store').send(body);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get('/api/files/locate', async (request, reply) => {
    const query = parse(LocateQuery, request, reply);
    if (!query) return reply;
    if ((query.offset === undefined) === (query.line === undefined)) {
      return sendBadRequest(reply, 'Give exactly one of offset or line');
    }
    const controller = abortOnClose(reply);
    try {
      const target = await files.target(sourceOf(query.agent));
      const source = byteSource(files, target, query.path, controller.signal);
      const key = `${target.key}\n${query.path}`;
      const answer =
        query.line !== undefined
          ? await lineIndex.offsetOf(key, source, query.line, controller.signal)
          : await lineIndex.lineOf(key, source, query.offset ?? 0, controller.signal);
      return reply.header('cache-control', 'no-store').send(answer);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get('/api/files/search', { compress: false }, async (request, reply) => {
    const query = parse(SearchQuerySchema, request, reply);
    if (!query) return reply;
    // Counted before anything is awaited, so a burst of searches cannot all pass the check at once.
    if (searches >= MAX_CONCURRENT_SEARCHES) {
      return sendBusy(reply, 'Too many whole-file searches are running; try again shortly');
    }
    searches += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      searches -= 1;
    };
    // Whatever happens next (a refusal, a failure, the browser gone, the end of the stream), the answer closes.
    reply.raw.once('close', release);
    let searcher: LineSearcher;
    try {
      searcher = new LineSearcher(
        { pattern: query.q, regex: query.regex === '1', caseSensitive: query.case === '1' },
        {
          maxMatches: MAX_SEARCH_MATCHES,
          batchBytes: SEARCH_BATCH_BYTES,
          maxLineBytes: SEARCH_MAX_LINE_BYTES,
        },
      );
    } catch (error) {
      if (error instanceof SearchPatternError) return sendBadRequest(reply, error.message);
      throw error;
    }
    const controller = abortOnClose(reply);
    let size: number;
    let source: ByteSource;
    try {
      const target = await files.target(sourceOf(query.agent));
      source = byteSource(files, target, query.path, controller.signal);
      size = await source.size();
    } catch (error) {
      return sendFailure(reply, error);
    }
    const started = Date.now();
    const line = (event: SearchEvent) => `${JSON.stringify(event)}\n`;
    async function* events(): AsyncGenerator<string> {
      try {
        yield line({ type: 'start', size });
        let lastProgress = Date.now();
        let scanned = 0;
        for await (const chunk of scanChunks(source, 0, size, {
          chunkBytes: MESOS_READ_CAP,
          inFlight: READS_IN_FLIGHT,
          signal: controller.signal,
        })) {
          scanned = chunk.offset + chunk.bytes.length;
          for (const match of searcher.push(chunk.bytes)) yield line(match);
          if (searcher.limited) break;
          if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = Date.now();
            yield line({ type: 'progress', scanned, lines: searcher.lines, matches: searcher.matches });
          }
        }
        if (!searcher.limited) for (const match of searcher.finish()) yield line(match);
        yield line({
          type: 'end',
          scanned,
          lines: searcher.lines,
          matches: searcher.matches,
          limited: searcher.limited,
          ms: Date.now() - started,
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof FileAccessError) {
          yield line({ type: 'error', reason: error.reason, message: error.message });
        } else if (error instanceof PatternTooSlowError) {
          yield line({ type: 'error', reason: 'pattern-too-slow', message: error.message });
        } else {
          request.log.error({ err: error }, 'whole-file search failed');
          yield line({ type: 'error', reason: 'upstream', message: 'The search failed inside mesoscope' });
        }
      } finally {
        release();
        controller.abort();
      }
    }
    return reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Readable.from(events()));
  });

  app.get('/api/files/instances', async (request, reply) => {
    const parsed = InstancesQuery.safeParse(request.query);
    if (!parsed.success) {
      return sendBadRequest(reply, 'Expecting framework and name, or agent and path');
    }
    const snapshot = deps.poller.snapshot;
    if (!snapshot) return sendFileError(reply, 503, 'unreachable', 'No cluster state yet');
    let app: { frameworkId: string; name: string } | null;
    if ('framework' in parsed.data) app = { frameworkId: parsed.data.framework, name: parsed.data.name };
    else app = appOfSandboxPath(snapshot, parsed.data.agent, parsed.data.path);
    if (!app)
      return sendFileError(
        reply,
        404,
        'file-not-found',
        'That path is not in a task sandbox mesoscope knows',
      );
    const view = await appInstances(snapshot, deps.agents, app.frameworkId, app.name);
    return reply.header('cache-control', 'no-store').send(view);
  });
}
