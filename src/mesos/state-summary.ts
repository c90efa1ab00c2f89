import { z } from 'zod';
import { AgentSchema } from './master-state';
import { makeParser } from './parse';
import { AnyObjectSchema, ResourcesObjectSchema } from './schema-utils';
import type { TaskCounts } from './task-state';

/** Per-agent and per-framework task counters of `/master/state-summary` (absent in old versions → 0). */
const summaryCounters = {
  TASK_STAGING: z.number().default(0),
  TASK_STARTING: z.number().default(0),
  TASK_RUNNING: z.number().default(0),
  TASK_KILLING: z.number().default(0),
  TASK_FINISHED: z.number().default(0),
  TASK_KILLED: z.number().default(0),
  TASK_FAILED: z.number().default(0),
  TASK_LOST: z.number().default(0),
  TASK_ERROR: z.number().default(0),
  TASK_UNREACHABLE: z.number().default(0),
};

const SummaryAgentSchema = AgentSchema.extend({
  ...summaryCounters,
  framework_ids: z.array(z.string()).default([]),
});

const SummaryFrameworkSchema = z.looseObject({
  ...summaryCounters,
  id: z.string(),
  name: z.string().default(''),
  pid: z.string().optional(),
  hostname: z.string().optional(),
  webui_url: z.string().optional(),
  active: z.boolean().optional(),
  connected: z.boolean().optional(),
  recovered: z.boolean().optional(),
  capabilities: z.array(z.string()).optional(),
  used_resources: ResourcesObjectSchema.optional(),
  offered_resources: ResourcesObjectSchema.optional(),
  slave_ids: z.array(z.string()).default([]),
});

/** `GET /master/state-summary`: agents and registered frameworks with counters, no task lists. */
const StateSummarySchema = z.looseObject({
  hostname: z.string(),
  cluster: z.string().optional(),
  slaves: z.array(SummaryAgentSchema).default([]),
  frameworks: z.array(SummaryFrameworkSchema).default([]),
  domain: AnyObjectSchema.optional(),
});

/** Parses `GET /master/state-summary`; throws `MesosParseError`. */
export const parseStateSummary = makeParser(StateSummarySchema, 'state summary');

/** Task counters of one summary agent or framework, in the home page's shape. */
export function taskCountsFromSummary(entry: z.output<z.ZodObject<typeof summaryCounters>>): TaskCounts {
  return {
    staging: entry.TASK_STAGING,
    starting: entry.TASK_STARTING,
    running: entry.TASK_RUNNING,
    unreachable: entry.TASK_UNREACHABLE,
    killing: entry.TASK_KILLING,
    finished: entry.TASK_FINISHED,
    killed: entry.TASK_KILLED,
    failed: entry.TASK_FAILED,
    lost: entry.TASK_LOST,
  };
}
