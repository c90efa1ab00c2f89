import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendError, sendBadRequest } from '../http-errors';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { ChronosJobRow, ChronosJobsView } from '../schemas/views';
import { chronosOrigin, readChronosJobs } from '../upstream/chronos-client';
import type { ChronosJobJson } from '../upstream/chronos-client';

const ParamsSchema = z.object({ frameworkId: z.string().min(1).max(500) });

/** Minutes east of UTC of an IANA zone at an instant; null for a zone this runtime does not know. */
function zoneOffsetMinutes(zone: string, at: number): number | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(at));
  } catch {
    return null;
  }
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const local = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * The next run of a Chronos schedule: Chronos keeps the next start in it (`R<n>/<next>/<period>`); with a
 * `scheduleTimeZone` the start's date and time are read in that zone, as Chronos does.
 */
function nextRun(job: ChronosJobJson): string | null {
  const match = /^R(\d*)\/([^/]*)\/P/.exec(job.schedule ?? '');
  if (!match || job.disabled || match[1] === '0') return null;
  const start = match[2] ?? '';
  const zone = job.scheduleTimeZone;
  const fields = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)/.exec(start)?.[1];
  let at = Date.parse(zone && fields ? `${fields}Z` : start);
  if (zone && fields && !Number.isNaN(at)) {
    const offset = zoneOffsetMinutes(zone, at);
    if (offset === null) return null;
    at -= offset * 60_000;
  }
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

function row(job: ChronosJobJson): ChronosJobRow {
  const success = Date.parse(job.lastSuccess);
  const error = Date.parse(job.lastError);
  const lastResult =
    Number.isNaN(success) && Number.isNaN(error)
      ? null
      : Number.isNaN(error) || success >= error
        ? 'success'
        : 'error';
  return {
    name: job.name,
    command: job.command,
    schedule: job.schedule ?? null,
    scheduleTimeZone: job.scheduleTimeZone || null,
    nextRun: nextRun(job),
    parents: job.parents ?? [],
    disabled: job.disabled,
    retries: job.retries,
    successCount: job.successCount,
    errorCount: job.errorCount,
    lastSuccess: job.lastSuccess || null,
    lastError: job.lastError || null,
    lastResult,
  };
}

/** A Chronos framework's jobs, read from its own API at its webui_url (checked first) for the framework page. */
export function registerChronosRoutes(app: FastifyInstance, poller: ClusterPoller): void {
  app.get('/api/frameworks/:frameworkId/chronos-jobs', async (request, reply) => {
    const parsed = ParamsSchema.safeParse(request.params);
    if (!parsed.success) return sendBadRequest(reply, 'Invalid framework ID');
    const framework = poller.snapshot?.frameworksById.get(parsed.data.frameworkId);
    if (!framework) return sendError(reply, 404, `No framework '${parsed.data.frameworkId}'`);
    if (!/chronos/i.test(framework.name))
      return { available: false, reason: 'not a Chronos framework' } satisfies ChronosJobsView;
    const origin = chronosOrigin(framework.webui_url);
    if (!origin)
      return {
        available: false,
        reason: `its webui_url (${JSON.stringify((framework.webui_url ?? '').slice(0, 200))}) is not an http(s) address mesoscope contacts`,
      } satisfies ChronosJobsView;
    try {
      const jobs = await readChronosJobs(origin);
      return { available: true, url: origin, jobs: jobs.map(row) } satisfies ChronosJobsView;
    } catch (error) {
      return { available: false, reason: (error as Error).message } satisfies ChronosJobsView;
    }
  });
}
