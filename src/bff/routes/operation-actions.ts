/**
 * The operations mesoscope can ask a master for, each as the body the browser sends, the v1 operator call it
 * becomes and the target the audit log names.
 */
import { z } from 'zod';

const id = z.string().trim().min(1, 'must not be empty').max(500);
const machine = z
  .object({ hostname: z.string().trim().max(255).optional(), ip: z.string().trim().max(64).optional() })
  .strict()
  .refine((m) => Boolean(m.hostname) || Boolean(m.ip), 'a machine needs a hostname or an IP');

type Machine = z.output<typeof machine>;
type V1Call = { type: string } & Record<string, unknown>;

interface PlannedOperation {
  /** What the audit log names as the target, e.g. `agent 1a2b-S0` or `machine host (10.0.0.1)`. */
  target: string;
  /** The v1 calls to send, in order; the last one's answer is the operation's. */
  call: V1Call;
  /** START_MAINTENANCE needs the machine in the schedule first: the window to add, when there is one. */
  scheduleWindow?: { machine: Machine; startSecs: number; durationSecs: number };
}

const machineId = (m: Machine) => ({
  ...(m.hostname ? { hostname: m.hostname } : {}),
  ...(m.ip ? { ip: m.ip } : {}),
});
const machineText = (m: Machine) =>
  m.hostname && m.ip ? `machine ${m.hostname} (${m.ip})` : `machine ${m.hostname ?? m.ip}`;

const agentBody = z.object({ agentId: id }).strict();

const OPERATIONS = {
  'drain-agent': {
    body: z
      .object({ agentId: id, maxGracePeriodSecs: z.number().int().min(0).max(86_400).optional() })
      .strict(),
    plan: (b: { agentId: string; maxGracePeriodSecs?: number | undefined }): PlannedOperation => ({
      target: `agent ${b.agentId}`,
      call: {
        type: 'DRAIN_AGENT',
        drain_agent: {
          agent_id: { value: b.agentId },
          ...(b.maxGracePeriodSecs === undefined
            ? {}
            : { max_grace_period: { seconds: b.maxGracePeriodSecs } }),
        },
      },
    }),
  },
  'deactivate-agent': {
    body: agentBody,
    plan: (b: { agentId: string }): PlannedOperation => ({
      target: `agent ${b.agentId}`,
      call: { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: b.agentId } } },
    }),
  },
  'reactivate-agent': {
    body: agentBody,
    plan: (b: { agentId: string }): PlannedOperation => ({
      target: `agent ${b.agentId}`,
      call: { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: b.agentId } } },
    }),
  },
  'teardown-framework': {
    body: z.object({ frameworkId: id }).strict(),
    plan: (b: { frameworkId: string }): PlannedOperation => ({
      target: `framework ${b.frameworkId}`,
      call: { type: 'TEARDOWN', teardown: { framework_id: { value: b.frameworkId } } },
    }),
  },
  'schedule-maintenance': {
    body: z
      .object({
        machine,
        startSecs: z.number().int().min(0).optional(),
        durationSecs: z
          .number()
          .int()
          .min(60)
          .max(365 * 86_400),
      })
      .strict(),
    plan: (b: {
      machine: Machine;
      startSecs?: number | undefined;
      durationSecs: number;
    }): PlannedOperation => ({
      target: machineText(b.machine),
      call: { type: 'UPDATE_MAINTENANCE_SCHEDULE' },
      scheduleWindow: {
        machine: b.machine,
        startSecs: b.startSecs ?? Math.floor(Date.now() / 1000),
        durationSecs: b.durationSecs,
      },
    }),
  },
  'machine-down': {
    body: z.object({ machine }).strict(),
    plan: (b: { machine: Machine }): PlannedOperation => ({
      target: machineText(b.machine),
      call: { type: 'START_MAINTENANCE', start_maintenance: { machines: [machineId(b.machine)] } },
    }),
  },
  'machine-up': {
    body: z.object({ machine }).strict(),
    plan: (b: { machine: Machine }): PlannedOperation => ({
      target: machineText(b.machine),
      call: { type: 'STOP_MAINTENANCE', stop_maintenance: { machines: [machineId(b.machine)] } },
    }),
  },
} as const;

type OperationName = keyof typeof OPERATIONS;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

/** Parses a request body for `name`: the plan, or a message naming the first mistake. */
export function planOperation(name: OperationName, body: unknown): PlannedOperation | { error: string } {
  const spec = OPERATIONS[name];
  const parsed = spec.body.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    return { error: `${name}: ${field ? `${field} ` : ''}${issue.message}` };
  }
  return (spec.plan as (b: unknown) => PlannedOperation)(parsed.data);
}

/**
 * The maintenance schedule with one more window: the master's current schedule (GET_MAINTENANCE_SCHEDULE's
 * `get_maintenance_schedule.schedule`) is replaced whole by UPDATE_MAINTENANCE_SCHEDULE, so the windows already there are kept.
 */
export function withWindow(
  current: unknown,
  window: NonNullable<PlannedOperation['scheduleWindow']>,
): V1Call {
  const answer = current as { get_maintenance_schedule?: { schedule?: { windows?: unknown } } } | null;
  const schedule = answer?.get_maintenance_schedule?.schedule;
  const windows = Array.isArray(schedule?.windows) ? (schedule.windows as unknown[]) : [];
  const added = {
    machine_ids: [machineId(window.machine)],
    unavailability: {
      start: { nanoseconds: window.startSecs * 1e9 },
      duration: { nanoseconds: window.durationSecs * 1e9 },
    },
  };
  return {
    type: 'UPDATE_MAINTENANCE_SCHEDULE',
    update_maintenance_schedule: { schedule: { windows: [...windows, added] } },
  };
}
