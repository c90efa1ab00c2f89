import { z } from 'zod';
import { makeParser } from './parse';

/** `ResourceStatistics`; every field is optional because it depends on the isolators in use. */
export const ResourceStatisticsSchema = z.looseObject({
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
export type ResourceStatistics = z.output<typeof ResourceStatisticsSchema>;

export const MonitorEntrySchema = z.looseObject({
  framework_id: z.string(),
  executor_id: z.string(),
  executor_name: z.string().optional(),
  source: z.string().optional(),
  statistics: ResourceStatisticsSchema.default({}),
});
export type MonitorEntry = z.output<typeof MonitorEntrySchema>;

/** `GET /slave(1)/monitor/statistics`: one entry per executor. */
export const MonitorStatisticsSchema = z.array(MonitorEntrySchema);
export type MonitorStatistics = z.output<typeof MonitorStatisticsSchema>;

/** Parses `GET /slave(1)/monitor/statistics`; throws `MesosParseError`. */
export const parseMonitorStatistics = makeParser(MonitorStatisticsSchema, 'monitor statistics');
