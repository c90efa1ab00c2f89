/**
 * The Marathon views the BFF serves to the SPA (apps, one app, deployments), built from Marathon's own
 * `/v2/apps`, `/v2/groups`, `/v2/deployments` and `/v2/queue`. The UI imports these as types only. Marathon's
 * times are ISO strings as Marathon writes them; `*At` fields are mesoscope's clock in ms.
 */

/**
 * What an app is doing, as Marathon's own UI says it: waiting in the launch queue for its backoff (Delayed) or
 * for offers that fit (Waiting), part of a deployment (Deploying), scaled to nothing (Suspended), else Running.
 */
export type MarathonAppStatus = 'Running' | 'Deploying' | 'Suspended' | 'Waiting' | 'Delayed';

export const MARATHON_APP_STATUSES: readonly MarathonAppStatus[] = [
  'Running',
  'Deploying',
  'Suspended',
  'Waiting',
  'Delayed',
];

/** How fresh a Marathon's data is: the views carry it so a page can say it is stale and why. */
export interface MarathonFreshness {
  /** The Marathon's key in mesoscope (`?marathon=`), and the URL it is read at (no credentials). */
  key: string;
  url: string;
  /** When its data was read (ms), null before the first good read. */
  fetchedAt: number | null;
  /** False when the last read failed: the data shown is the last good one. */
  connected: boolean;
  lastError: string | null;
}

/** One Marathon mesoscope knows, for `/api/status`. */
export interface MarathonStatusView extends MarathonFreshness {
  /** configured: `--marathon`; discovered: a framework whose web UI answers `/v2/info` as Marathon. */
  origin: 'configured' | 'discovered';
  /** Its Mesos framework id and name, from `/v2/info` (null until read). */
  frameworkId: string | null;
  name: string | null;
  version: string | null;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** Whether Marathon's event stream (`/v2/events`) is followed; otherwise it is polled only. */
  events: boolean;
  pollIntervalMs: number;
}

export interface MarathonInstances {
  wanted: number;
  running: number;
  healthy: number;
  unhealthy: number;
  staged: number;
}

/** A row of the Apps page: a group or an app, with its depth in the tree. */
export type MarathonTreeRow =
  | {
      kind: 'group';
      id: string;
      /** Its parent's id ('' for the root's children). */
      parent: string;
      depth: number;
      /** Apps anywhere under it, and the sum of their instances and resources (wanted). */
      apps: number;
      instances: MarathonInstances;
      cpus: number;
      mem: number;
      statuses: Partial<Record<MarathonAppStatus, number>>;
    }
  | {
      kind: 'app';
      id: string;
      parent: string;
      depth: number;
      status: MarathonAppStatus;
      instances: MarathonInstances;
      /** Per instance. */
      cpus: number;
      mem: number;
      disk: number;
      /** Each as Marathon writes it: `hostname:UNIQUE`, `rack:GROUP_BY:3`. */
      constraints: string[];
      cmd: string | null;
      image: string | null;
      version: string | null;
      /** Seconds left of its launch delay (Delayed), null when none. */
      delaySeconds: number | null;
      lastFailure: string | null;
    };

/** GET /api/marathon/apps?marathon=: every group and app, as a flat tree in order (groups before their apps). */
export interface MarathonAppsView {
  marathon: MarathonFreshness;
  /** Marathon's Mesos framework id, for links to the framework and its tasks. */
  frameworkId: string | null;
  rows: MarathonTreeRow[];
  counts: Record<MarathonAppStatus, number>;
}

/** GET /api/marathon/summary: apps by status of every Marathon, for the Overview. */
export interface MarathonSummaryView {
  marathons: Array<{
    marathon: MarathonFreshness;
    name: string | null;
    apps: number;
    counts: Record<MarathonAppStatus, number> | null;
    deployments: number;
  }>;
}

export interface MarathonHealthResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureCause: string | null;
}

export interface MarathonTaskRow {
  id: string;
  /** Mesos task state as Marathon last heard it. */
  state: string;
  host: string;
  agentId: string | null;
  ports: number[];
  stagedAt: string | null;
  startedAt: string | null;
  version: string | null;
  /** healthy: every check alive; unhealthy: one is not; null: no check results (yet). */
  health: 'healthy' | 'unhealthy' | null;
  healthResults: MarathonHealthResult[];
  /** The task as Mesos lists it (for its page and sandbox), when the cluster's state has it. */
  mesos: { frameworkId: string; executorId: string; agentId: string; name: string } | null;
}

interface MarathonDeploymentAction {
  action: string;
  /** The app or pod it acts on. */
  target: string;
  readiness: Array<{ taskId: string; ready: boolean; name: string | null }>;
}

export interface MarathonDeploymentView {
  id: string;
  version: string;
  affectedApps: string[];
  steps: MarathonDeploymentAction[][];
  currentActions: MarathonDeploymentAction[];
  /** 1-based, as Marathon counts. */
  currentStep: number;
  totalSteps: number;
}

/** GET /api/marathon/deployments?marathon= */
export interface MarathonDeploymentsView {
  marathon: MarathonFreshness;
  deployments: MarathonDeploymentView[];
}

/** GET /api/marathon/app?marathon=&id= */
export interface MarathonAppView {
  marathon: MarathonFreshness;
  frameworkId: string | null;
  app: Extract<MarathonTreeRow, { kind: 'app' }>;
  tasks: MarathonTaskRow[];
  /** The Mesos task name its instances run under (Marathon names them after the app), for their logs. */
  mesosTaskName: string | null;
  healthChecks: Array<{ protocol: string; target: string; grace: number | null; interval: number | null }>;
  lastTaskFailure: {
    taskId: string;
    state: string;
    message: string;
    host: string;
    timestamp: string;
    version: string | null;
  } | null;
  versionInfo: { lastScalingAt: string | null; lastConfigChangeAt: string | null };
  deployments: MarathonDeploymentView[];
  /** Its launch queue entry (Waiting or Delayed), when it has one. */
  queue: { count: number; delaySeconds: number | null; overdue: boolean } | null;
  /** The app definition as Marathon returns it, without the runtime fields (tasks, counts...). */
  definition: Record<string, unknown>;
}

/** GET /api/marathon/versions?marathon=&id=: an app's versions, newest first (at most 100). */
export interface MarathonVersionsView {
  versions: string[];
}
