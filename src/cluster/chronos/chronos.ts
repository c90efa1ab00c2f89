/**
 * A Chronos-compatible job scheduler: a framework named `chronos` on the master's v1 scheduler API, with
 * Chronos's REST API on its own port. Jobs run on ISO 8601 repeating schedules or after all their parents
 * succeeded; a failed run is retried `retries` times before it counts as an error; a run that is due more than
 * `epsilon` ago is skipped, as Chronos skips missed runs.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { scalarResource, SchedulerDriver } from '../frameworks/scheduler-driver';
import type { V1 } from '../frameworks/scheduler-driver';
import { addPeriod, parseSchedule, ScheduleError } from './schedule';
import type { Schedule } from './schedule';
import { sumScalar } from '../../mesos/resources';

export interface ChronosOptions {
  masters: string[];
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  headers?: Record<string, string>;
  log?: (line: string) => void;
  /** How often due jobs are looked for (default 250 ms). */
  tickMs?: number;
}

/** A job as Chronos's API reads and writes it (`JobSerializer.scala`'s keys). */
export interface ChronosJob {
  name: string;
  command: string;
  shell: boolean;
  epsilon: string;
  executor: string;
  executorFlags: string;
  retries: number;
  owner: string;
  ownerName: string;
  description: string;
  successCount: number;
  errorCount: number;
  lastSuccess: string;
  lastError: string;
  cpus: number;
  disk: number;
  mem: number;
  disabled: boolean;
  softError: boolean;
  dataProcessingJobType: boolean;
  errorsSinceLastSuccess: number;
  uris: string[];
  environmentVariables: { name: string; value: string }[];
  arguments: string[];
  highPriority: boolean;
  runAsUser: string;
  concurrent: boolean;
  constraints: string[][];
  schedule?: string;
  scheduleTimeZone?: string;
  parents?: string[];
}

export interface Chronos {
  url: string;
  frameworkId: string | undefined;
  jobs(): ChronosJob[];
  close(): Promise<void>;
}

interface JobState {
  job: ChronosJob;
  schedule: Schedule | null;
  periodText: string;
  /** Epoch ms of the next scheduled run, or null. */
  next: number | null;
  /** When the job was last queued (to know whether every parent succeeded since). */
  lastQueued: number;
}

interface Run {
  name: string;
  attempt: number;
}

const JOB_NAME = /^[\w.-]+$/;
const MAX_BODY = 256 * 1024;

class BadRequest extends Error {}

function isoDuration(text: string): number {
  const match = /^PT?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!match || text === 'PT' || text === 'P')
    throw new BadRequest(`epsilon '${text}' is not a duration such as PT60S`);
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
}

function defaults(name: string, command: string): ChronosJob {
  return {
    name,
    command,
    shell: true,
    epsilon: 'PT60S',
    executor: '',
    executorFlags: '',
    retries: 2,
    owner: '',
    ownerName: '',
    description: '',
    successCount: 0,
    errorCount: 0,
    lastSuccess: '',
    lastError: '',
    cpus: 0.1,
    disk: 256,
    mem: 128,
    disabled: false,
    softError: false,
    dataProcessingJobType: false,
    errorsSinceLastSuccess: 0,
    uris: [],
    environmentVariables: [],
    arguments: [],
    highPriority: false,
    runAsUser: 'root',
    concurrent: false,
    constraints: [],
  };
}

/** Reads a posted job: a JSON object with a valid name and a command; every other key keeps its type or default. */
function readJob(body: string, kind: 'schedule' | 'dependency'): ChronosJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new BadRequest('the body is not a JSON object');
  const input = raw as Record<string, unknown>;
  if (typeof input['name'] !== 'string' || !JOB_NAME.test(input['name']))
    throw new BadRequest(`the job's name is invalid. Allowed names: '([\\w\\.-]+)'`);
  if (typeof input['command'] !== 'string' || input['command'].trim() === '')
    throw new BadRequest(`job '${input['name']}' has no command`);
  const job = defaults(input['name'], input['command']);
  const out = job as unknown as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(job)) {
    if (
      !(key in input) ||
      key === 'successCount' ||
      key === 'errorCount' ||
      key === 'lastSuccess' ||
      key === 'lastError'
    )
      continue;
    const value = input[key];
    const same = Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback;
    if (!same)
      throw new BadRequest(`'${key}' must be ${Array.isArray(fallback) ? 'a list' : `a ${typeof fallback}`}`);
    out[key] = value;
  }
  if (job.retries < 0 || !Number.isInteger(job.retries) || job.retries > 100)
    throw new BadRequest("'retries' must be a whole number from 0 to 100");
  for (const key of ['cpus', 'mem', 'disk'] as const)
    if (!(job[key] > 0)) throw new BadRequest(`'${key}' must be more than 0`);
  isoDuration(job.epsilon);
  if (kind === 'schedule') {
    if (typeof input['schedule'] !== 'string') throw new BadRequest(`job '${job.name}' has no schedule`);
    job.schedule = input['schedule'];
    const zone = input['scheduleTimeZone'];
    if (zone !== undefined && typeof zone !== 'string')
      throw new BadRequest("'scheduleTimeZone' must be a string");
    job.scheduleTimeZone = zone ?? '';
  } else {
    const parents = input['parents'];
    if (!Array.isArray(parents) || parents.length === 0 || !parents.every((p) => typeof p === 'string'))
      throw new BadRequest(`job '${job.name}' needs 'parents': a non-empty list of job names`);
    job.parents = [...new Set(parents as string[])];
  }
  return job;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`the body is larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts Chronos: subscribes as the `chronos` framework and serves its API. */
export async function startChronos(options: ChronosOptions): Promise<Chronos> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const jobs = new Map<string, JobState>();
  const queue: Run[] = [];
  /** Task id to the run it is. */
  const running = new Map<string, Run>();
  let taskSeq = 0;

  const isRunning = (name: string) => [...running.values()].some((run) => run.name === name);
  const enqueue = (name: string, attempt = 0) => {
    const state = jobs.get(name);
    if (!state) return;
    if (attempt === 0) state.lastQueued = Date.now();
    if (!state.job.concurrent && attempt === 0 && (isRunning(name) || queue.some((run) => run.name === name)))
      return;
    queue.push({ name, attempt });
  };

  const scheduleOf = (job: ChronosJob, now: number) => {
    if (!job.schedule) return { schedule: null, periodText: '', next: null };
    const schedule = parseSchedule(job.schedule, job.scheduleTimeZone ?? '', now);
    const periodText = job.schedule.split('/')[2] ?? '';
    return { schedule, periodText, next: schedule.repetitions === 0 ? null : schedule.start };
  };

  const tick = () => {
    const now = Date.now();
    for (const state of jobs.values()) {
      const { schedule } = state;
      if (!schedule || state.next === null || state.next > now) continue;
      const epsilon = isoDuration(state.job.epsilon);
      // Catch up past runs missed by more than epsilon without running them, as Chronos does.
      skipMissed(state, now, epsilon);
      if (state.next !== null && state.next <= now) {
        if (!state.job.disabled) enqueue(state.job.name);
        advance(state);
      }
    }
  };

  const skipMissed = (state: JobState, now: number, epsilon: number) => {
    const { period } = state.schedule!;
    const fixedMs = period.years === 0 && period.months === 0 ? addPeriod(0, period) : 0;
    if (fixedMs > 0 && state.next !== null && now - state.next > epsilon) {
      // Whole periods missed, at once (a schedule that started in 1970 every second is not walked through).
      let missed = Math.floor((now - epsilon - state.next) / fixedMs);
      const schedule = state.schedule!;
      if (schedule.repetitions > 0) missed = Math.min(missed, schedule.repetitions - 1);
      if (missed > 0) {
        if (schedule.repetitions > 0) schedule.repetitions -= missed;
        state.next += missed * fixedMs;
        schedule.start = state.next;
      }
    }
    for (let i = 0; i < 10_000 && state.next !== null && now - state.next > epsilon; i++) advance(state);
  };

  const advance = (state: JobState) => {
    const schedule = state.schedule!;
    if (schedule.repetitions === 0) {
      state.next = null;
      return;
    }
    if (schedule.repetitions > 0) schedule.repetitions -= 1;
    schedule.start = addPeriod(state.next!, schedule.period);
    state.next = schedule.repetitions === 0 ? null : schedule.start;
    state.job.schedule = `${schedule.repetitions < 0 ? 'R' : `R${schedule.repetitions}`}/${new Date(schedule.start).toISOString()}/${state.periodText}`;
  };

  const finished = (run: Run, success: boolean) => {
    const state = jobs.get(run.name);
    if (!state) return;
    const job = state.job;
    const at = new Date().toISOString();
    if (success) {
      job.successCount += 1;
      job.lastSuccess = at;
      job.errorsSinceLastSuccess = 0;
      for (const child of jobs.values()) {
        const parents = child.job.parents;
        if (!parents?.includes(job.name) || child.job.disabled) continue;
        const ready = parents.every((parent) => {
          const last = jobs.get(parent)?.job.lastSuccess;
          return last !== undefined && last !== '' && Date.parse(last) >= child.lastQueued;
        });
        if (ready) enqueue(child.job.name);
      }
    } else if (run.attempt < job.retries) {
      enqueue(run.name, run.attempt + 1);
    } else {
      job.errorCount += 1;
      job.errorsSinceLastSuccess += 1;
      job.lastError = at;
    }
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (error instanceof BadRequest || error instanceof ScheduleError)
        send(res, 400, { message: error.message, status: 'Bad Request' });
      else send(res, 500, { message: String(error), status: 'Internal Server Error' });
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://chronos');
    const path = url.pathname.replace(/^\/v1/, '').replace(/\/$/, '');
    const method = req.method ?? 'GET';
    if (path === '/scheduler/jobs' && method === 'GET') {
      send(
        res,
        200,
        [...jobs.values()].map((state) => state.job),
      );
      return;
    }
    if ((path === '/scheduler/iso8601' || path === '/scheduler/dependency') && method === 'POST') {
      const kind = path === '/scheduler/iso8601' ? 'schedule' : 'dependency';
      const job = readJob(await readBody(req), kind);
      const old = jobs.get(job.name);
      if (old) {
        job.successCount = old.job.successCount;
        job.errorCount = old.job.errorCount;
        job.lastSuccess = old.job.lastSuccess;
        job.lastError = old.job.lastError;
      }
      if (kind === 'dependency') {
        for (const parent of job.parents ?? []) {
          if (parent === job.name) throw new BadRequest(`job '${job.name}' cannot be its own parent`);
          if (!jobs.has(parent)) throw new BadRequest(`parent job '${parent}' not found`);
        }
        // A cycle: a parent that (through its own parents) depends on this job.
        const reaches = (name: string, seen = new Set<string>()): boolean =>
          name === job.name ||
          (!seen.has(name) &&
            (seen.add(name), (jobs.get(name)?.job.parents ?? []).some((p) => reaches(p, seen))));
        if ((job.parents ?? []).some((parent) => reaches(parent)))
          throw new BadRequest(`job '${job.name}' would depend on itself through its parents`);
      }
      const { schedule, periodText, next } = scheduleOf(job, Date.now());
      jobs.set(job.name, { job, schedule, periodText, next, lastQueued: old?.lastQueued ?? Date.now() });
      log(`chronos: job ${job.name} ${old ? 'replaced' : 'added'}`);
      send(res, 204);
      return;
    }
    const named = /^\/scheduler\/job\/([^/]+)$/.exec(path);
    if (named) {
      const name = decodeURIComponent(named[1]!);
      const state = jobs.get(name);
      if (!state) throw new BadRequest(`Job '${name}' not found`);
      if (method === 'GET') {
        send(res, 200, state.job);
        return;
      }
      if (method === 'DELETE') {
        jobs.delete(name);
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.name === name) queue.splice(i, 1);
        for (const [taskId, run] of running)
          if (run.name === name) void driver.kill(taskId).catch(() => undefined);
        send(res, 204);
        return;
      }
      if (method === 'PUT') {
        enqueue(name);
        send(res, 204);
        return;
      }
    }
    send(res, 404, { message: `no such endpoint: ${method} ${url.pathname}`, status: 'Not Found' });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as { port: number }).port}`;

  const driver = new SchedulerDriver({
    masters: options.masters,
    frameworkInfo: {
      user: 'root',
      name: 'chronos',
      failover_timeout: 604800,
      webui_url: url,
      roles: ['*'],
      capabilities: [{ type: 'MULTI_ROLE' }],
    },
    headers: options.headers,
  });
  driver.on('offers', (offers) => {
    for (const offer of offers) {
      const resources = (offer['resources'] ?? []) as V1[];
      let cpus = sumScalar(resources, 'cpus');
      let mem = sumScalar(resources, 'mem');
      let disk = sumScalar(resources, 'disk');
      const tasks: V1[] = [];
      for (let i = 0; i < queue.length;) {
        const run = queue[i]!;
        const job = jobs.get(run.name)?.job;
        if (!job) {
          queue.splice(i, 1);
          continue;
        }
        if (job.cpus > cpus || job.mem > mem || job.disk > disk) {
          i++;
          continue;
        }
        queue.splice(i, 1);
        cpus -= job.cpus;
        mem -= job.mem;
        disk -= job.disk;
        // Chronos's task id: ct:<due time>:<attempt>:<job name>:
        const taskId = `ct:${Date.now()}${String(taskSeq++ % 1000).padStart(3, '0')}:${run.attempt}:${job.name}:`;
        running.set(taskId, run);
        tasks.push({
          name: `ChronosTask:${job.name}`,
          task_id: { value: taskId },
          agent_id: offer['agent_id'],
          resources: [
            scalarResource('cpus', job.cpus),
            scalarResource('mem', job.mem),
            scalarResource('disk', job.disk),
          ],
          command: {
            shell: job.shell,
            value: job.command,
            ...(job.shell ? {} : { arguments: job.arguments }),
            environment: {
              variables: job.environmentVariables.map((v) => ({ name: v.name, value: v.value })),
            },
            uris: job.uris.map((value) => ({ value })),
          },
        });
      }
      const offerIds = [offer['id']?.value as string];
      (tasks.length > 0
        ? driver.launch(offerIds, tasks)
        : driver.decline(offerIds, { refuse_seconds: 1 })
      ).catch((error: Error) => log(`chronos: could not answer an offer: ${error.message}`));
    }
  });
  driver.on('update', (status) => {
    const taskId = status['task_id']?.value as string | undefined;
    const run = taskId ? running.get(taskId) : undefined;
    if (!taskId || !run) return;
    const state = String(status['state'] ?? '');
    if (state === 'TASK_FINISHED') {
      running.delete(taskId);
      finished(run, true);
    } else if (
      ['TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'].includes(state)
    ) {
      running.delete(taskId);
      finished(run, false);
    }
  });
  await driver.start();
  const timer = setInterval(tick, options.tickMs ?? 250);
  timer.unref();
  log(`chronos: registered as ${driver.frameworkId}, API at ${url}`);

  return {
    url,
    get frameworkId() {
      return driver.frameworkId;
    },
    jobs: () => [...jobs.values()].map((state) => state.job),
    close: async () => {
      clearInterval(timer);
      await driver.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
