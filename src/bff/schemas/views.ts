/**
 * The compact views the BFF serves to the SPA. The UI imports these as types only; the BFF builds them from
 * the cluster model. Times are Mesos times: seconds since the epoch (floating point), except `*At` fields,
 * which are mesoscope's own clock in milliseconds.
 */
import type { MesosDnsRecords } from '../../mesos/mesos-dns';
import type { Resources } from '../../mesos/resources';
import type { Label } from '../../mesos/schema-utils';
import type {
  ContainerSummary,
  DiscoverySummary,
  HealthCheckSummary,
  TaskIpAddress,
} from '../../mesos/task-details';
import type { TaskCounts } from '../../mesos/task-state';
import type { MarathonStatusView } from './marathon';

export type { Resources, TaskCounts };

/**
 * Why the last read of the cluster failed (`invalid`: the master's state did not match the Mesos contract;
 * `redirect`: a master sent mesoscope to a host that is not one of its masters).
 */
export type UpstreamProblem =
  | 'unreachable'
  | 'timeout'
  | 'http'
  | 'malformed'
  | 'no-leader'
  | 'unauthorized'
  | 'tls'
  | 'invalid'
  | 'redirect';

/** How far the first snapshot of a big cluster has been read (the data shown meanwhile is partial). */
export interface LoadingView {
  /** Active and unreachable tasks read so far. */
  tasksRead: number;
  /** How many the master's metrics count (null before its metrics are read): an estimate. */
  tasksExpected: number | null;
  bytesRead: number;
  /** The snapshot's size, null until the master starts sending it. */
  bytes: number | null;
}

/** GET /api/status: where mesoscope gets its data from and how fresh it is. */
export interface StatusView {
  mode: 'local' | 'remote';
  /** The masters mesoscope was told about (credentials removed). */
  masters: string[];
  leader: { url: string; hostname: string; port: number; id: string | null } | null;
  /** When mesoscope first read from a new leader (ms), or null if the leader has not changed since it started. */
  leaderChangedAt: number | null;
  /** The leader before that change. */
  previousLeader: { hostname: string; port: number } | null;
  /** How the leader is found, and whether that is impaired (e.g. ZooKeeper down while a leader is known). */
  discovery: {
    mode: 'masters' | 'proxy' | 'zookeeper';
    degraded: { since: number; message: string } | null;
  };
  /** True when the last poll of the leader succeeded. */
  connected: boolean;
  /** Set while the first snapshot is still being read: the data shown is partial (no tasks yet). */
  loading?: LoadingView | null;
  /** When cluster data was last fetched successfully (ms), or null if never. */
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** A user-facing explanation of the last failure, never containing credentials. */
  lastError: string | null;
  /** What kind of failure that is: `unauthorized` (HTTP 401/403), `tls`, `timeout`, `unreachable`... */
  lastErrorKind: UpstreamProblem | null;
  pollIntervalMs: number;
  /**
   * How long until mesoscope reads the cluster again and publishes what changed (0 while it is reading, null when
   * no read is scheduled): a page times its next status poll to land just after that publish.
   */
  nextReadInMs?: number | null;
  /**
   * The version of the snapshot the views are made from (null before the first): a page learns from the status it
   * polls anyway that the cluster changed, and asks again for its tasks then rather than on a timer of its own.
   */
  snapshotVersion?: number | null;
  /** mesoscope's own version. */
  version: string;
  /** Identifies the SPA build being served (a hash of its index.html); a page that sees it change reloads. */
  buildId?: string | null;
  /** Whether cluster operations are on (`--allow-operations`) and whether the signed-in user may send them. */
  operations?: { enabled: boolean; user: string | null; mayOperate: boolean };
  /** The Marathons mesoscope reads (configured or found in the cluster), and how fresh each one's data is. */
  marathons?: MarathonStatusView[];
  /** The task history: on or off, where, and whether recording is paused (a full disk, a store gone) and why. */
  taskHistory?: {
    enabled: boolean;
    kind: 'sqlite' | 'postgres' | null;
    paused: boolean;
    error: string | null;
  };
}

/** One line of the operations audit log (`<data-dir>/audit.log`, GET /api/audit). */
export interface AuditEntryView {
  /** ISO time the request arrived. */
  at: string;
  /** The signed-in user, or null when nobody had signed in. */
  user: string | null;
  action: string;
  /** What the operation was on (`agent <id>`, `framework <id>`, `machine <host>`), null when never parsed. */
  target: string | null;
  /** done: the master accepted it; refused: mesoscope did not send it; failed: the master refused or failed. */
  outcome: 'done' | 'refused' | 'failed';
  /** The HTTP status mesoscope answered with. */
  status: number;
  /** The master's answer (its status and text), or why mesoscope refused. */
  message: string;
  masterStatus?: number;
  requestId: string;
}

export interface MasterInfoView {
  id: string;
  hostname: string;
  pid: string;
  version: string;
  buildDate: string | null;
  buildTime: number | null;
  buildUser: string | null;
  startTime: number | null;
  electedTime: number | null;
  cluster: string | null;
  leader: { hostname: string; port: number; pid: string } | null;
  /** True when the master serves its log at /master/log (log_dir or external_log_file set). */
  logAvailable: boolean;
}

/** GET /api/overview */
export interface OverviewView {
  snapshotAt: number;
  master: MasterInfoView;
  agents: { activated: number; deactivated: number; unreachable: number };
  tasks: TaskCounts;
  resources: { total: Resources; allocated: Resources; offered: Resources; idle: Resources };
  frameworks: { active: number; inactive: number; completed: number };
}

export type TaskGroup = 'active' | 'unreachable' | 'completed';
/** What `/api/tasks?group=` selects: one task group, or every task in the cluster. */
export type TaskQueryGroup = TaskGroup | 'all';
export type { TaskSortKey } from './sort-keys';

export interface TaskRow {
  id: string;
  name: string;
  frameworkId: string;
  frameworkName: string | null;
  executorId: string;
  agentId: string;
  /** The agent's hostname, or null when the agent is not (or no longer) registered ("Agent offline"). */
  agentHostname: string | null;
  role: string | null;
  state: string;
  healthy: boolean | null;
  startTime: number | null;
  finishTime: number | null;
  resources: Resources;
  /** Why the task is in its state, from its latest status that says (one line, cut to 300 characters). */
  reason: string | null;
  message: string | null;
}

/** GET /api/tasks?group=&q=&state=&framework=&agent=&role=&sort=&order=&offset=&limit= */
export interface TaskPage {
  snapshotAt: number;
  group: TaskQueryGroup;
  /** Tasks matching the query (all pages). */
  total: number;
  offset: number;
  limit: number;
  rows: TaskRow[];
}

export interface FacetValue {
  value: string;
  /** What to show for it (a framework's name, an agent's hostname), when it differs from `value`. */
  label: string;
  count: number;
}

/** GET /api/tasks/facets: the values the Tasks page can filter on, with their task counts. */
export interface TaskFacets {
  snapshotAt: number;
  total: number;
  groups: FacetValue[];
  states: FacetValue[];
  frameworks: FacetValue[];
  agents: FacetValue[];
  roles: FacetValue[];
  /** Values left out of a list longer than {@link FACET_LIMIT} (those with the fewest tasks). */
  omitted: { frameworks: number; agents: number; roles: number };
}

/** The longest list of values a facet offers: a select of 10,000 agents helps nobody and costs every poll. */
export const FACET_LIMIT = 200;

export interface TaskStatusView {
  state: string;
  /** Seconds since the epoch, as Mesos reports it; null when the status has none. */
  timestamp: number | null;
  reason: string | null;
  message: string | null;
  source: string | null;
  healthy: boolean | null;
  labels: Label[];
}

/** GET /api/tasks/:frameworkId/:taskId: everything about one task. */
export interface TaskDetailView {
  snapshotAt: number;
  group: TaskGroup;
  row: TaskRow;
  frameworkRoles: string[];
  user: string | null;
  /** Oldest first, as Mesos lists them. */
  statuses: TaskStatusView[];
  labels: Label[];
  /** The task's resources as Mesos reports them (scalars, and ranges such as ports as text). */
  resources: Record<string, number | string>;
  limits: Record<string, number | string> | null;
  container: ContainerSummary | null;
  healthCheck: HealthCheckSummary | null;
  discovery: DiscoverySummary | null;
  ipAddresses: TaskIpAddress[];
  hostPorts: number[];
  /** Mesos-DNS names; Mesos-DNS serves them only while the task is running. */
  dns: MesosDnsRecords | null;
  /** The task exactly as the master reported it. */
  raw: Record<string, unknown>;
}

/** One Mesos-DNS name of a task and what the configured Mesos-DNS answers for it now. */
interface TaskDnsName {
  name: string;
  type: 'A' | 'SRV';
  /** Addresses (A) or `host:port` targets (SRV); empty: it does not resolve now. */
  answers: string[];
}

/** Where `/api/tasks/:frameworkId/:taskId/json` found the task's JSON. */
export type TaskJsonSource = 'master' | 'history' | 'mesoscope';

/**
 * `/api/tasks/:frameworkId/:taskId/json`: one task's JSON as the leading master has it (`master`), else as the
 * task history recorded it (`history`), else the compact form mesoscope keeps (`mesoscope`); `problem` says
 * why it is not the master's.
 */
export interface TaskJsonView {
  source: TaskJsonSource;
  task: Record<string, unknown>;
  problem: string | null;
}

/** `/api/tasks/:frameworkId/:taskId/dns`: whether a Mesos-DNS is configured and, if so, what it says. */
export type TaskDnsView =
  { configured: false } | { configured: true; server: string; names: TaskDnsName[]; error: string | null };

/** One Chronos job as the framework page lists it. */
export interface ChronosJobRow {
  name: string;
  command: string;
  /** The ISO 8601 schedule, or null for a dependent job. */
  schedule: string | null;
  scheduleTimeZone: string | null;
  /** ISO time of the next scheduled run; null: none (dependent, disabled, or no repetitions left). */
  nextRun: string | null;
  parents: string[];
  disabled: boolean;
  retries: number;
  successCount: number;
  errorCount: number;
  lastSuccess: string | null;
  lastError: string | null;
  /** Which of the last success and last error is newer; null: it never ran. */
  lastResult: 'success' | 'error' | null;
}

/** `/api/frameworks/:id/chronos-jobs`: the jobs of a Chronos, when its webui_url answers Chronos's API. */
export type ChronosJobsView =
  { available: true; url: string; jobs: ChronosJobRow[] } | { available: false; reason: string };

export type SearchKind = 'task' | 'framework' | 'agent';

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** Task or framework name, or agent hostname. */
  title: string;
  /** More context: a task's framework and state, a framework's state, an agent's state. */
  detail: string;
  /** Tasks only: the framework the task belongs to (task ids are unique per framework). */
  frameworkId: string | null;
}

/** GET /api/search?q=&limit=: the best matches of each kind, best first. */
export interface SearchResults {
  snapshotAt: number;
  query: string;
  tasks: SearchHit[];
  frameworks: SearchHit[];
  agents: SearchHit[];
  /** How many of each kind matched in all (more than were returned when over the limit). */
  totals: Record<SearchKind, number>;
  /** The score of each kind's best hit (0: none): the kind that matches best is shown first. */
  best: Record<SearchKind, number>;
}

export interface FrameworkRow {
  id: string;
  name: string;
  hostname: string | null;
  webuiUrl: string | null;
  user: string | null;
  roles: string[];
  principal: string | null;
  active: boolean;
  connected: boolean | null;
  activeTasks: number;
  /** Allocated (used_resources) resources. */
  resources: Resources;
  /** The largest of the framework's CPU, GPU, mem and disk shares of the cluster total, 0..1. */
  maxShare: number;
  registeredTime: number | null;
  reregisteredTime: number | null;
  unregisteredTime: number | null;
}

/** GET /api/frameworks */
export interface FrameworksView {
  snapshotAt: number;
  active: FrameworkRow[];
  inactive: FrameworkRow[];
  completed: FrameworkRow[];
}

export type AgentStateLabel = 'Active' | 'Draining' | 'Drained' | 'Deactivated';
/** Agents the master no longer lists (see departed-agents.ts). */
export type DepartedAgentState = 'Unreachable' | 'Gone' | 'Removed';

export interface AgentRow {
  id: string;
  /** Empty for an agent mesoscope never saw listed (known only from its tasks). */
  hostname: string;
  port: number | null;
  state: AgentStateLabel | DepartedAgentState;
  /** Seconds: since when it is unreachable, gone or removed; null for a listed agent (or when unknown). */
  departedTime: number | null;
  allocated: Resources;
  total: Resources;
  registeredTime: number | null;
  reregisteredTime: number | null;
  version: string | null;
}

/** GET /api/agents */
export interface AgentsView {
  snapshotAt: number;
  agents: AgentRow[];
}

/** A page of a list filtered, sorted and paged on the server (`?q=&sort=&order=&offset=&limit=`). */
export interface ListPage<T> {
  snapshotAt: number;
  /** Rows matching the filter, before paging. */
  total: number;
  /** All rows, before the filter ("3 of 1000"). */
  unfiltered: number;
  offset: number;
  limit: number;
  rows: T[];
}

/**
 * GET /api/agents?q=&state=&sort=&order=&offset=&limit= (without paging parameters: {@link AgentsView}).
 * `states`: every agent's state with its count, whatever the filter; `gpus`: whether any agent has GPUs.
 */
export type AgentsPage = ListPage<AgentRow> & { states: FacetValue[]; gpus: boolean };

export type FrameworkGroup = 'active' | 'inactive' | 'completed';

/** GET /api/frameworks?group=&q=&sort=&order=&offset=&limit= (without paging parameters: {@link FrameworksView}). */
export type FrameworksPage = ListPage<FrameworkRow> & { group: FrameworkGroup };

/** GET /api/sandbox?agent=&framework=&executor=&task= : where a task's or executor's sandbox is on its agent. */
export interface SandboxView {
  agentId: string;
  agentHostname: string;
  frameworkId: string;
  executorId: string;
  taskId: string | null;
  /** Absolute path of the sandbox directory on the agent, as /files/browse expects it. */
  directory: string;
}

/** GET /api/flags: the leading master's flags; null when the master does not show them to mesoscope. */
export interface MasterFlagsView {
  snapshotAt: number;
  flags: Record<string, string> | null;
}

/** Every error the BFF returns to the browser has this shape. */
export interface ApiErrorBody {
  error: string;
  message: string;
  statusCode: number;
}

/** A task as the task history keeps it (`/api/history/tasks...`): times in ms since the epoch. */
export interface HistoryTaskView {
  frameworkId: string;
  frameworkName: string | null;
  taskId: string;
  name: string;
  agentId: string | null;
  host: string | null;
  role: string | null;
  state: string;
  started: number | null;
  updated: number;
  ended: number | null;
  failed: boolean;
  reason: string | null;
  message: string | null;
  cpus: number | null;
  mem: number | null;
  disk: number | null;
  gpus: number | null;
  detail: Record<string, unknown> | null;
}

export interface HistoryStatusView {
  state: string;
  t: number;
  source: string | null;
  reason: string | null;
  message: string | null;
  healthy: boolean | null;
}

/** GET /api/history/tasks: one page of a time range, newest first. */
export interface HistoryTaskPageView {
  from: number;
  to: number;
  tasks: HistoryTaskView[];
  /** The `cursor` of the next page; null on the last. */
  next: string | null;
}

/** GET /api/history/failures: failures in a range, grouped. */
export interface FailuresView {
  from: number;
  to: number;
  groupBy: string;
  groups: Array<{
    key: string;
    label: string;
    count: number;
    last24h: number;
    previous24h: number;
    firstAt: number;
    lastAt: number;
    example: string | null;
    newSinceYesterday: boolean;
    gettingWorse: boolean;
    filter: Record<string, string>;
  }>;
}
