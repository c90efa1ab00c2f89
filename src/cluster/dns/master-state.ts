/**
 * The parts of a master's `/master/state` that Mesos-DNS reads (mesos-dns `records/state`), checked field by
 * field: anything missing or of the wrong type is left out rather than trusted.
 */
import { z } from 'zod';

const label = z.object({ key: z.string(), value: z.string().catch('') });

const status = z.object({
  state: z.string().catch(''),
  timestamp: z.number().catch(0),
  labels: z.array(label).optional().catch(undefined),
  container_status: z
    .object({
      network_infos: z
        .array(
          z.object({
            ip_addresses: z
              .array(z.object({ ip_address: z.string().optional().catch(undefined) }))
              .optional()
              .catch(undefined),
            ip_address: z.string().optional().catch(undefined),
          }),
        )
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const task = z.object({
  id: z.string(),
  name: z.string().catch(''),
  slave_id: z.string().catch(''),
  state: z.string().catch(''),
  statuses: z.array(status).catch([]),
  resources: z
    .object({ ports: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  discovery: z
    .object({
      name: z.string().optional().catch(undefined),
      ports: z
        .object({
          ports: z
            .array(
              z.object({
                number: z.number().int().min(0).max(65535),
                name: z.string().optional().catch(undefined),
                protocol: z.string().optional().catch(undefined),
              }),
            )
            .catch([]),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const framework = z.object({
  name: z.string().catch(''),
  pid: z.string().optional().catch(undefined),
  hostname: z.string().optional().catch(undefined),
  tasks: z.array(task.nullable().catch(null)).catch([]),
});

const agent = z.object({ id: z.string(), pid: z.string().optional().catch(undefined) });

const masterState = z.object({
  leader: z.string().catch(''),
  frameworks: z.array(framework.nullable().catch(null)).catch([]),
  slaves: z.array(agent.nullable().catch(null)).catch([]),
});

export type StateTask = z.infer<typeof task>;

export interface MasterStateForDns {
  leader: string;
  frameworks: (Omit<z.infer<typeof framework>, 'tasks'> & { tasks: StateTask[] })[];
  slaves: z.infer<typeof agent>[];
}

/** A master state body, parsed; throws when it is not a JSON object naming a leader. */
export function parseMasterState(body: string): MasterStateForDns {
  const parsed = masterState.parse(JSON.parse(body));
  if (!parsed.leader) throw new Error('the master state names no leader');
  return {
    leader: parsed.leader,
    frameworks: parsed.frameworks
      .filter((f) => f !== null)
      .map((f) => ({ ...f, tasks: f.tasks.filter((t) => t !== null) })),
    slaves: parsed.slaves.filter((s) => s !== null),
  };
}
