/**
 * Reads a Mesos-DNS's HTTP API (`/v1/hosts`, `/v1/services`, `/v1/enumerate`) at the one address mesoscope was
 * given (`--mesos-dns`, or the local cluster's). Names are sent percent-encoded in the path, redirects are not
 * followed, answers are size-limited and checked: an answer of the wrong shape is an error, never trusted.
 */
import { request } from 'undici';
import { z } from 'zod';
import { readCapped } from './body-limit';

const TIMEOUT_MS = 2000;
const MAX_BODY = 8 * 1024 * 1024;

const HostsSchema = z.array(z.object({ host: z.string(), ip: z.string() }));
const ServicesSchema = z.array(
  z.object({ service: z.string(), host: z.string(), ip: z.string(), port: z.string() }),
);
const EnumerateSchema = z.object({
  frameworks: z
    .array(
      z.object({
        name: z.string(),
        tasks: z
          .array(
            z.object({
              id: z.string(),
              name: z.string(),
              records: z
                .array(z.object({ name: z.string(), host: z.string(), rtype: z.string() }))
                .nullable(),
            }),
          )
          .nullable(),
      }),
    )
    .nullable(),
});
type MesosDnsEnumeration = z.infer<typeof EnumerateSchema>;

/** Parses `--mesos-dns`: an http(s) URL with no path beyond `/`, query or credentials. */
export function parseMesosDnsUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--mesos-dns: '${text}' is not a URL (expected http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--mesos-dns: '${text}' must be an http:// or https:// URL`);
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/')
    throw new Error(`--mesos-dns: '${text}' must be just a scheme, host and port (http://host:8123)`);
  return url.origin;
}

export class MesosDnsClient {
  constructor(readonly baseUrl: string) {}

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await request(`${this.baseUrl}${path}`, {
      method: 'GET',
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS * 2),
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`Mesos-DNS answered ${response.statusCode} to ${path}`);
    }
    const body = await readCapped(
      response.body,
      response.headers,
      MAX_BODY,
      () => new Error(`Mesos-DNS's answer to ${path} is larger than ${MAX_BODY} bytes`),
    );
    const parsed = schema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) throw new Error(`Mesos-DNS's answer to ${path} is not what Mesos-DNS sends`);
    return parsed.data;
  }

  /** The addresses a name has now (`/v1/hosts`); empty when it has none. */
  async hosts(name: string): Promise<string[]> {
    const found = await this.get(`/v1/hosts/${encodeURIComponent(name)}`, HostsSchema);
    return found.filter((record) => record.ip !== '').map((record) => record.ip);
  }

  /** The `host:port` targets a service name has now (`/v1/services`); empty when it has none. */
  async services(name: string): Promise<string[]> {
    const found = await this.get(`/v1/services/${encodeURIComponent(name)}`, ServicesSchema);
    return found.filter((record) => record.port !== '').map((record) => `${record.host}:${record.port}`);
  }

  async enumerate(): Promise<MesosDnsEnumeration> {
    return this.get('/v1/enumerate', EnumerateSchema);
  }
}
