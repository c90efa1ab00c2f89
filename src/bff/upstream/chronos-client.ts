/**
 * Reads a Chronos's jobs (`GET /v1/scheduler/jobs`) at the address its framework registered as `webui_url`.
 * That address comes from the cluster, so it is checked before use: http or https, a DNS name or IP address and
 * a port, no credentials; only the jobs path is asked, redirects are not followed, the answer is size-limited
 * and must have Chronos's shape.
 */
import { isIP } from 'node:net';
import { request } from 'undici';
import { z } from 'zod';
import { readCapped } from './body-limit';

const TIMEOUT_MS = 2000;
const MAX_BODY = 4 * 1024 * 1024;
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;

const JobSchema = z.object({
  name: z.string(),
  command: z.string().catch(''),
  schedule: z.string().optional().catch(undefined),
  scheduleTimeZone: z.string().optional().catch(undefined),
  parents: z.array(z.string()).optional().catch(undefined),
  disabled: z.boolean().catch(false),
  retries: z.number().catch(0),
  successCount: z.number().catch(0),
  errorCount: z.number().catch(0),
  lastSuccess: z.string().catch(''),
  lastError: z.string().catch(''),
});
const JobsSchema = z.array(JobSchema).max(10_000);
export type ChronosJobJson = z.infer<typeof JobSchema>;

/** The origin to ask, from a `webui_url`; null when it is not one mesoscope will contact. */
export function chronosOrigin(webuiUrl: string | undefined): string | null {
  if (!webuiUrl) return null;
  let url: URL;
  try {
    url = new URL(webuiUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0 && (!DNS_NAME.test(host) || /^(\d+|0x[0-9a-f]*)$/i.test(host.split('.').pop() ?? '')))
    return null;
  return url.origin;
}

export async function readChronosJobs(origin: string): Promise<ChronosJobJson[]> {
  const response = await request(`${origin}/v1/scheduler/jobs`, {
    method: 'GET',
    headers: { accept: 'application/json' },
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    signal: AbortSignal.timeout(TIMEOUT_MS * 2),
  });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new Error(`${origin}/v1/scheduler/jobs answered ${response.statusCode}`);
  }
  const body = await readCapped(
    response.body,
    response.headers,
    MAX_BODY,
    () => new Error(`${origin}/v1/scheduler/jobs is larger than ${MAX_BODY} bytes`),
  );
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`${origin}/v1/scheduler/jobs is not JSON`);
  }
  const parsed = JobsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${origin}/v1/scheduler/jobs is not a list of Chronos jobs`);
  return parsed.data;
}
