/**
 * The parts of Marathon 1.x's REST answers mesoscope reads (`/v2/apps` with embeds, `/v2/groups`,
 * `/v2/deployments`, `/v2/queue`, `/v2/info`). Read loosely: fields mesoscope does not show are kept as given,
 * absent optional fields take Marathon's defaults, and only what a page needs is required.
 */
import { z } from 'zod';

const text = z.string();
const optionalText = z.string().nullish();
const count = z.number().int().nonnegative().catch(0);

const MarathonHealthSchema = z.looseObject({
  alive: z.boolean().catch(false),
  consecutiveFailures: z.number().catch(0),
  firstSuccess: optionalText,
  lastSuccess: optionalText,
  lastFailure: optionalText,
  lastFailureCause: optionalText,
});

const MarathonTaskSchema = z.looseObject({
  id: text,
  appId: text.optional(),
  host: text.catch(''),
  slaveId: optionalText,
  state: text.catch('TASK_UNKNOWN'),
  ports: z.array(z.number()).catch([]).default([]),
  stagedAt: optionalText,
  startedAt: optionalText,
  version: optionalText,
  healthCheckResults: z.array(MarathonHealthSchema).catch([]).default([]),
});

const MarathonTaskFailureSchema = z.looseObject({
  appId: text.optional(),
  host: text.catch(''),
  message: text.catch(''),
  state: text.catch(''),
  taskId: text.catch(''),
  timestamp: text.catch(''),
  version: optionalText,
});

/** A constraint as written: `["hostname", "UNIQUE"]`, `["rack", "GROUP_BY", "3"]`. */
const ConstraintSchema = z.array(z.union([z.string(), z.number()]).transform(String));

const MarathonAppSchema = z.looseObject({
  id: text.regex(/^\//, 'an app id starts with /'),
  instances: count.default(1),
  cpus: z.number().catch(0).default(1),
  mem: z.number().catch(0).default(128),
  disk: z.number().catch(0).default(0),
  cmd: optionalText,
  constraints: z.array(ConstraintSchema).catch([]).default([]),
  container: z
    .looseObject({ docker: z.looseObject({ image: optionalText }).nullish() })
    .nullish()
    .catch(null),
  healthChecks: z.array(z.looseObject({})).catch([]).default([]),
  version: optionalText,
  versionInfo: z.looseObject({ lastScalingAt: optionalText, lastConfigChangeAt: optionalText }).nullish(),
  tasksStaged: count.default(0),
  tasksRunning: count.default(0),
  tasksHealthy: count.default(0),
  tasksUnhealthy: count.default(0),
  deployments: z
    .array(z.looseObject({ id: text }))
    .catch([])
    .default([]),
  tasks: z.array(MarathonTaskSchema).catch([]).default([]),
  lastTaskFailure: MarathonTaskFailureSchema.nullish().catch(null),
});
export type MarathonApp = z.output<typeof MarathonAppSchema>;

export const MarathonAppsSchema = z.looseObject({ apps: z.array(MarathonAppSchema) });

/** `/v2/groups?embed=group.groups`: the group tree without its apps (those come from `/v2/apps`). */
export interface MarathonGroup {
  id: string;
  groups: MarathonGroup[];
  dependencies: string[];
}
export const MarathonGroupSchema: z.ZodType<MarathonGroup> = z.lazy(() =>
  z
    .looseObject({
      id: text,
      groups: z.array(MarathonGroupSchema).default([]),
      dependencies: z.array(text).catch([]).default([]),
    })
    .transform(({ id, groups, dependencies }) => ({ id, groups, dependencies })),
);

const ActionSchema = z
  .looseObject({
    action: text,
    app: optionalText,
    pod: optionalText,
    readinessCheckResults: z
      .array(z.looseObject({ taskId: text.catch(''), ready: z.boolean().catch(false), name: optionalText }))
      .catch([])
      .default([]),
  })
  .transform((action) => ({
    action: action.action,
    target: action.app ?? action.pod ?? '',
    readiness: action.readinessCheckResults.map((result) => ({
      taskId: result.taskId,
      ready: result.ready,
      name: result.name ?? null,
    })),
  }));

const MarathonDeploymentSchema = z.looseObject({
  id: text,
  version: text.catch(''),
  affectedApps: z.array(text).catch([]).default([]),
  steps: z
    .array(
      z.union([
        // Marathon 1.x: `{actions: [...]}`; 0.x: a bare array of actions.
        z.looseObject({ actions: z.array(ActionSchema) }).transform((step) => step.actions),
        z.array(ActionSchema),
      ]),
    )
    .catch([])
    .default([]),
  currentActions: z.array(ActionSchema).catch([]).default([]),
  currentStep: count.default(0),
  totalSteps: count.default(0),
});
export type MarathonDeployment = z.output<typeof MarathonDeploymentSchema>;

export const MarathonDeploymentsSchema = z.array(MarathonDeploymentSchema);

export const MarathonQueueSchema = z.looseObject({
  queue: z.array(
    z.looseObject({
      app: z.looseObject({ id: text }).optional(),
      count: count.default(0),
      delay: z
        .looseObject({ timeLeftSeconds: z.number().catch(0), overdue: z.boolean().catch(false) })
        .nullish(),
    }),
  ),
});
export type MarathonQueue = z.output<typeof MarathonQueueSchema>;

export const MarathonVersionsSchema = z.looseObject({ versions: z.array(text) });

export const MarathonInfoSchema = z.looseObject({
  name: optionalText,
  version: optionalText,
  frameworkId: optionalText,
  leader: optionalText,
  marathon_config: z.looseObject({}).optional(),
});
export type MarathonInfo = z.output<typeof MarathonInfoSchema>;

/** Whether `/v2/info` is Marathon's: it says so by name, or has Marathon's configuration. */
export function looksLikeMarathon(info: MarathonInfo): boolean {
  return /marathon/i.test(info.name ?? '') || info.marathon_config !== undefined;
}

export class MarathonParseError extends Error {}

/** Parses an answer, or throws an error naming the endpoint and the first field that did not fit. */
export function parseMarathon<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new MarathonParseError(
    `${what} is not what Marathon answers${where}: ${issue?.message ?? 'invalid'}`,
  );
}
