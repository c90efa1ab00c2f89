import { z } from 'zod';
import { makeParser } from './parse';

/** `ResourceStatistics`; every field is optional because it depends on the isolators in use. */
const ResourceStatisticsSchema = z.looseObject({
  /** Seconds since the epoch. */
  timestamp: z.number().optional(),
  cpus_limit: z.number().optional(),
  cpus_user_time_secs: z.number().optional(),
  cpus_system_time_secs: z.number().optional(),
  cpus_nr_periods: z.number().optional(),
  cpus_nr_throttled: z.number().optional(),
  cpus_throttled_time_secs: z.number().optional(),
  mem_limit_bytes: z.number().optional(),
  mem_rss_bytes: z.number().optional(),
  mem_total_bytes: z.number().optional(),
  mem_anon_bytes: z.number().optional(),
  mem_file_bytes: z.number().optional(),
  mem_mapped_file_bytes: z.number().optional(),
  disk_limit_bytes: z.number().optional(),
  disk_used_bytes: z.number().optional(),
});
type ResourceStatistics = z.output<typeof ResourceStatisticsSchema>;

const MonitorEntrySchema = z.looseObject({
  framework_id: z.string(),
  executor_id: z.string(),
  executor_name: z.string().optional(),
  source: z.string().optional(),
  statistics: ResourceStatisticsSchema.default({}),
});
type MonitorEntry = z.output<typeof MonitorEntrySchema>;

/** `GET /slave(1)/monitor/statistics`: one entry per executor. */
const MonitorStatisticsSchema = z.array(MonitorEntrySchema);
export type MonitorStatistics = z.output<typeof MonitorStatisticsSchema>;

/** Parses `GET /slave(1)/monitor/statistics`; throws `MesosParseError`. */
export const parseMonitorStatistics = makeParser(MonitorStatisticsSchema, 'monitor statistics');

/** What one executor uses, as the Mesos UI's `Top` shows it. */
export interface ExecutorUsage {
  frameworkId: string;
  executorId: string;
  /** CPUs in use: Δ(user + system CPU seconds) / Δtime between two samples; null with only one sample. */
  cpus: number | null;
  memRssBytes: number | null;
  diskUsedBytes: number | null;
  cpusLimit: number | null;
  memLimitBytes: number | null;
}

const usageKey = (entry: Pick<MonitorEntry, 'framework_id' | 'executor_id'>) =>
  `${entry.framework_id}\u0000${entry.executor_id}`;

function cpuSeconds(statistics: ResourceStatistics): number | null {
  const { cpus_user_time_secs: user, cpus_system_time_secs: system } = statistics;
  return user === undefined && system === undefined ? null : (user ?? 0) + (system ?? 0);
}

/**
 * Per-executor usage from the current `/monitor/statistics` sample and, for CPU, the previous one
 * (`Statistics.diffUsage` in the Mesos UI's services.js): the CPU rate needs two samples of the same executor
 * with a later timestamp; otherwise it is null.
 */
export function executorUsage(
  previous: MonitorStatistics | null,
  current: MonitorStatistics,
): ExecutorUsage[] {
  const before = new Map((previous ?? []).map((entry) => [usageKey(entry), entry.statistics]));
  return current.map((entry) => {
    const now = entry.statistics;
    const then = before.get(usageKey(entry));
    let cpus: number | null = null;
    const nowCpu = cpuSeconds(now);
    const thenCpu = then ? cpuSeconds(then) : null;
    if (
      then &&
      nowCpu !== null &&
      thenCpu !== null &&
      now.timestamp !== undefined &&
      then.timestamp !== undefined
    ) {
      const elapsed = now.timestamp - then.timestamp;
      if (elapsed > 0) cpus = Math.max(0, (nowCpu - thenCpu) / elapsed);
    }
    return {
      frameworkId: entry.framework_id,
      executorId: entry.executor_id,
      cpus,
      memRssBytes: now.mem_rss_bytes ?? null,
      diskUsedBytes: now.disk_used_bytes ?? null,
      cpusLimit: now.cpus_limit ?? null,
      memLimitBytes: now.mem_limit_bytes ?? null,
    };
  });
}

/** Used resources summed over executors; a field stays null when no executor reports it. */
export interface UsedResources {
  cpus: number | null;
  /** MB, like Mesos resources. */
  mem: number | null;
  /** MB, like Mesos resources. */
  disk: number | null;
}

const MB = 1024 * 1024;

/** Σ usage → CPUs, mem MB and disk MB (`Top` sums per framework and per agent). */
export function sumUsage(usages: readonly ExecutorUsage[]): UsedResources {
  const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
  let cpus: number | null = null;
  let mem: number | null = null;
  let disk: number | null = null;
  for (const usage of usages) {
    cpus = add(cpus, usage.cpus);
    mem = add(mem, usage.memRssBytes);
    disk = add(disk, usage.diskUsedBytes);
  }
  return { cpus, mem: mem === null ? null : mem / MB, disk: disk === null ? null : disk / MB };
}
