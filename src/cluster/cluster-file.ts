/**
 * The cluster file (`mesoscope.cluster.yaml`, or JSON): what minimesos's cluster file described, for the local
 * cluster. Parsed with line numbers kept, so every mistake names its field and its line.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { AgentIdentity, LocalClusterOptions } from './index';
import type { RoleQuota } from './master/cluster-core';
import { DEFAULT_AGENT_RESOURCES } from './master/resources';
import type { ClusterResources, PortRange } from './master/resources';

/** A cluster file that cannot be read, is not YAML/JSON, or does not fit the schema. */
export class ClusterFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}`);
    this.name = 'ClusterFileError';
  }
}

const amount = z.number().finite().nonnegative('must not be negative');

/** `[31000-32000, 33000-33100]` as Mesos writes it, or `[[31000, 32000]]`. */
const PortsSchema = z.union([
  z.string().transform((text, ctx) => {
    const ranges = parsePortRanges(text);
    if (!ranges) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is not a port range list such as [31000-32000]` });
      return z.NEVER;
    }
    return ranges;
  }),
  z
    .array(z.tuple([z.number().int().min(1).max(65535), z.number().int().min(1).max(65535)]))
    .refine((ranges) => ranges.every(([b, e]) => b <= e), 'each port range must begin at or before its end'),
]);

const ResourcesSchema = z.strictObject({
  cpus: amount.optional(),
  mem: amount.optional(),
  disk: amount.optional(),
  gpus: z.number().int().nonnegative('must not be negative').optional(),
  ports: PortsSchema.optional(),
});

/** `rack:1;region:ger;disk:hdd` as Mesos's `--attributes`, or a map. */
const AttributesSchema = z.union([
  z.string().transform((text, ctx) => {
    const attributes = parseAttributes(text);
    if (!attributes) {
      ctx.addIssue({
        code: 'custom',
        message: `'${text}' is not a list of name:value pairs such as rack:1;disk:hdd`,
      });
      return z.NEVER;
    }
    return attributes;
  }),
  z.record(z.string().min(1), z.union([z.string(), z.number()])),
]);

const AgentSchema = z
  .strictObject({
    hostname: z.string().min(1).max(253).optional(),
    resources: ResourcesSchema.optional(),
    reservations: z.record(z.string().min(1), ResourcesSchema).optional(),
    attributes: AttributesSchema.optional(),
  })
  .superRefine((agent, ctx) => {
    // Reservations are carved out of the agent's resources: together they cannot be more.
    for (const kind of ['cpus', 'mem', 'disk', 'gpus'] as const) {
      const total = agent.resources?.[kind] ?? DEFAULT_AGENT_RESOURCES[kind];
      let reserved = 0;
      for (const [role, spec] of Object.entries(agent.reservations ?? {})) {
        reserved += spec[kind] ?? 0;
        if (reserved > total) {
          ctx.addIssue({
            code: 'custom',
            path: ['reservations', role, kind],
            message: `reservations add up to ${reserved} ${kind}, more than the agent's ${total}`,
          });
          break;
        }
      }
    }
  });

const QuotaAmounts = z.strictObject({
  cpus: amount.optional(),
  mem: amount.optional(),
  disk: amount.optional(),
  gpus: amount.optional(),
});

const RoleSchema = z.strictObject({
  weight: z.number().positive().optional(),
  quota: z.strictObject({ guarantee: QuotaAmounts.optional(), limit: QuotaAmounts.optional() }).optional(),
});

const JsonObject = z.record(z.string(), z.unknown());

export const ClusterFileSchema = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  /** A scenario of the local cluster (default `empty`: only what this file asks for). */
  scenario: z.string().min(1).optional(),
  masters: z.union([z.literal(1), z.literal(3), z.literal(5)]).optional(),
  zk: z
    .string()
    .regex(/^zk:\/\/[^/]+\/.+$/, 'must be a zk://host:port/path URL')
    .optional(),
  agents: z.union([z.number().int().min(1).max(200), z.array(AgentSchema).min(1).max(200)]).optional(),
  roles: z.record(z.string().min(1), RoleSchema).optional(),
  flags: z
    .strictObject({
      max_completed_tasks_per_framework: z.number().int().min(0).max(1_000_000).optional(),
      max_completed_frameworks: z.number().int().min(0).max(1_000_000).optional(),
    })
    .optional(),
  services: z
    .strictObject({
      marathon: z.boolean().optional(),
      chronos: z.boolean().optional(),
      mesos_dns: z.boolean().optional(),
    })
    .optional(),
  /** Marathon app definitions to install once the cluster is up. */
  apps: z.array(JsonObject).optional(),
  /** Marathon groups to install once the cluster is up. */
  groups: z.array(JsonObject).optional(),
  /** Chronos jobs (schedule or parents) to post once the cluster is up. */
  jobs: z.array(JsonObject).optional(),
});

export type ClusterFile = z.infer<typeof ClusterFileSchema>;

/** Reads and validates a cluster file; throws {@link ClusterFileError} naming the path, line and field. */
export function readClusterFile(file: string): ClusterFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ClusterFileError(
      file,
      null,
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return parseClusterFile(text, file);
}

/** Parses YAML or JSON text (JSON is YAML) into a validated cluster file. */
export function parseClusterFile(text: string, file: string): ClusterFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new ClusterFileError(file, line, `not valid YAML or JSON: ${syntax.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  const parsed = ClusterFileSchema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issue = deepestIssue(parsed.error.issues[0]!);
  const path = [...issue.path] as (string | number)[];
  // An unknown key is reported on its parent; point at the key itself.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const fieldPath = unknownKey === undefined ? path : [...path, unknownKey];
  const line = lineOf(doc, lines, fieldPath);
  const field = fieldPath.length === 0 ? '(top level)' : fieldPath.join('.');
  const message = unknownKey === undefined ? issue.message : `unknown field '${unknownKey}'`;
  throw new ClusterFileError(file, line, `${field}: ${message}`);
}

/** Of the alternatives of a union, the mistake furthest into the file says best what is wrong. */
function deepestIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const candidates = issue.errors
    .map((branch) => branch[0])
    .filter((inner): inner is z.core.$ZodIssue => inner !== undefined)
    .map((inner) => deepestIssue({ ...inner, path: [...issue.path, ...inner.path] }));
  return candidates.reduce(
    (best, next) => (next.path.length > best.path.length ? next : best),
    candidates[0] ?? issue,
  );
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  path: (string | number)[],
): number | null {
  for (let n = path.length; n >= 0; n--) {
    const at = path.slice(0, n);
    const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      // For a key, the line of the key: the value may start on the next line.
      const key = keyRange(doc, at);
      return lines.linePos(key ?? range[0]).line;
    }
  }
  return null;
}

function keyRange(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const items = (
    parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null
  )?.items;
  const last = path[path.length - 1];
  const pair = items?.find((item) => item.key?.value === last);
  return pair?.key?.range?.[0];
}

/** `[31000-32000,33000-33100]` → ranges; null when it does not parse. */
export function parsePortRanges(text: string): PortRange[] | null {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (body === '') return [];
  const ranges: PortRange[] = [];
  for (const part of body.split(',')) {
    const match = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(part);
    if (!match) return null;
    const begin = Number(match[1]);
    const end = Number(match[2]);
    if (begin < 1 || end > 65535 || begin > end) return null;
    ranges.push([begin, end]);
  }
  return ranges;
}

/** `rack:1;region:ger` → `{ rack: 1, region: 'ger' }` (numbers as Mesos's scalar attributes); null if malformed. */
export function parseAttributes(text: string): Record<string, string | number> | null {
  const attributes: Record<string, string | number> = {};
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) return null;
    const name = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    if (name === '' || value === '') return null;
    attributes[name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return attributes;
}

/** What {@link startCluster} needs to start the cluster a file describes (apps and jobs come after). */
export function clusterFileOptions(file: ClusterFile): LocalClusterOptions {
  const services = file.services ?? {};
  const agentList = Array.isArray(file.agents) ? file.agents : undefined;
  const weights: Record<string, number> = {};
  const quotas: Record<string, RoleQuota> = {};
  for (const [role, spec] of Object.entries(file.roles ?? {})) {
    if (spec.weight !== undefined) weights[role] = spec.weight;
    if (spec.quota) quotas[role] = spec.quota;
  }
  return {
    scenario: file.scenario ?? 'empty',
    agents: agentList ? agentList.length : typeof file.agents === 'number' ? file.agents : 3,
    ...(file.name ? { clusterName: file.name } : {}),
    ...(file.masters ? { masters: file.masters } : {}),
    ...(file.zk ? { zk: file.zk } : {}),
    ...(agentList ? { agentIdentity: (i: number) => agentIdentity(agentList[i] ?? {}, i) } : {}),
    weights,
    quotas,
    ...(file.flags?.max_completed_tasks_per_framework !== undefined
      ? { maxCompletedTasksPerFramework: file.flags.max_completed_tasks_per_framework }
      : {}),
    ...(file.flags?.max_completed_frameworks !== undefined
      ? { maxCompletedFrameworks: file.flags.max_completed_frameworks }
      : {}),
    marathon: services.marathon ?? true,
    chronos: services.chronos ?? true,
    mesosDns: services.mesos_dns ?? true,
  };
}

function agentIdentity(
  agent: NonNullable<Exclude<ClusterFile['agents'], number>>[number],
  i: number,
): AgentIdentity {
  return {
    hostname: agent.hostname ?? `agent-${i + 1}.mesoscope.local`,
    attributes: agent.attributes ?? { rack: `rack-${(i % 2) + 1}` },
    ...(agent.resources ? { resources: resources(agent.resources) } : {}),
    ...(agent.reservations
      ? {
          reservations: Object.fromEntries(
            Object.entries(agent.reservations).map(([role, r]) => [role, resources(r)]),
          ),
        }
      : {}),
  };
}

function resources(spec: z.infer<typeof ResourcesSchema>): Partial<ClusterResources> {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}

/** Installs a file's apps and groups on Marathon and posts its jobs to Chronos, stopping at the first refusal. */
export async function installClusterFileWork(
  file: ClusterFile,
  urls: { marathon?: string | undefined; chronos?: string | undefined },
): Promise<void> {
  const apps = file.apps ?? [];
  const groups = file.groups ?? [];
  const jobs = file.jobs ?? [];
  if ((apps.length || groups.length) && !urls.marathon)
    throw new Error('apps and groups need services.marathon');
  if (jobs.length && !urls.chronos) throw new Error('jobs need services.chronos');
  for (const app of apps) await send(`${urls.marathon}/v2/apps`, app, `app ${String(app['id'])}`);
  for (const group of groups) await send(`${urls.marathon}/v2/groups`, group, `group ${String(group['id'])}`);
  for (const job of jobs) {
    const kind = Array.isArray(job['parents']) ? 'dependency' : 'iso8601';
    await send(`${urls.chronos}/v1/scheduler/${kind}`, job, `job ${String(job['name'])}`);
  }
}

async function send(url: string, body: unknown, what: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${what} was refused (${response.status}): ${(await response.text()).slice(0, 500)}`);
}
