/**
 * The views behind the wall display and the history charts. The UI imports these as types only.
 * Times ending in `At` and chart times `t` are mesoscope's clock in ms; `finishTime` is Mesos's (seconds).
 */
import type { Resources, ResourceKind } from '../../mesos/resources';
import type { TaskCounts } from '../../mesos/task-state';

export type HistoryWindow = '1h' | '6h' | '24h';

/** One chart point: the mean over its bucket, or null when no sample fell in it (a gap). */
export interface HistoryPoint {
  /** Start of the bucket (ms). */
  t: number;
  cpusTotal: number | null;
  cpusAllocated: number | null;
  memTotal: number | null;
  memAllocated: number | null;
  diskTotal: number | null;
  diskAllocated: number | null;
  gpusTotal: number | null;
  gpusAllocated: number | null;
  running: number | null;
}

/** Task failures (FAILED + LOST + ERROR) per minute, averaged over the bucket; null where nothing is known. */
export interface FailurePoint {
  t: number;
  perMinute: number | null;
}

/** GET /api/history?window=1h|6h|24h */
export interface HistoryView {
  window: HistoryWindow;
  /** The window shown: [from, to) in ms. */
  from: number;
  to: number;
  /** Width of one point's bucket (ms). */
  stepMs: number;
  points: HistoryPoint[];
  failureStepMs: number;
  failures: FailurePoint[];
  /** Samples held (all windows), how many fit, and whether they survive a restart. */
  samples: number;
  capacity: number;
  persistence: 'disk' | 'memory';
  /** Time of the newest sample (ms), or null when there is none. */
  latestAt: number | null;
}

/**
 * How an agent looks on the wall: `unreachable` is an agent the master still lists but has lost contact with
 * (`active: false`); `draining`, `drained` and `deactivated` come from maintenance and drain operations.
 */
export type AgentCellStatus = 'active' | 'draining' | 'drained' | 'deactivated' | 'unreachable';

export interface AgentCell {
  id: string;
  hostname: string;
  status: AgentCellStatus;
  /** Dominant share of the agent's own resources that is allocated, 0..1. */
  share: number;
}

export interface WallFramework {
  id: string;
  name: string;
  /** Dominant share of the cluster, 0..1, and the resource it is dominant in. */
  share: number;
  dominant: ResourceKind;
  activeTasks: number;
}

/**
 * One line of "Latest failed tasks": the failures of tasks of the same name, framework, state and reason
 * (a crash-looping app fails the same way every minute), the newest first.
 */
export interface WallFailedTask {
  /** How many failures the line stands for; `id` and `finishTime` are the newest one's. */
  count: number;
  id: string;
  name: string;
  frameworkName: string | null;
  agentHostname: string | null;
  state: string;
  /** Seconds since the epoch, as Mesos reports it. */
  finishTime: number | null;
  /** The last status's reason and message, shortened. */
  reason: string | null;
  message: string | null;
}

/** GET /api/wall: everything the wall display shows now (history comes from /api/history). */
export interface WallView {
  snapshotAt: number;
  cluster: { name: string | null; leader: string | null; version: string | null; electedTime: number | null };
  agents: {
    total: number;
    active: number;
    unreachable: number;
    draining: number;
    drained: number;
    deactivated: number;
    /** Agents the master marked unreachable and no longer lists, and mesoscope cannot name (so no cell). */
    unlisted: number;
  };
  frameworks: { active: number; inactive: number };
  tasks: TaskCounts;
  resources: { total: Resources; allocated: Resources };
  /** Every agent the master lists, by hostname, then those it marked unreachable and stopped listing. */
  agentCells: AgentCell[];
  /** Tasks that ended FAILED, LOST or ERROR in the last `minutes` minutes (by their last status's time). */
  recentFailures: { count: number; minutes: number };
  topFrameworks: WallFramework[];
  failedTasks: WallFailedTask[];
}
