/**
 * Every route of the SPA, with typed builders. Components link with `paths.x.build(...)`; the router is
 * declared from `paths.x.pattern`.
 */
const enc = encodeURIComponent;

function withPath(base: string, path: string | null | undefined): string {
  return path ? `${base}?path=${enc(path)}` : base;
}

function withMarathon(base: string, marathon: string | null | undefined, search = ''): string {
  const params = new URLSearchParams(search);
  if (marathon) params.set('marathon', marathon);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

export const paths = {
  overview: { pattern: '/', build: () => '/' },
  frameworks: { pattern: '/frameworks', build: () => '/frameworks' },
  framework: {
    pattern: '/frameworks/:frameworkId',
    build: (frameworkId: string) => `/frameworks/${enc(frameworkId)}`,
  },
  agents: { pattern: '/agents', build: () => '/agents' },
  agent: { pattern: '/agents/:agentId', build: (agentId: string) => `/agents/${enc(agentId)}` },
  agentFramework: {
    pattern: '/agents/:agentId/frameworks/:frameworkId',
    build: (agentId: string, frameworkId: string) => `/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}`,
  },
  executor: {
    pattern: '/agents/:agentId/frameworks/:frameworkId/executors/:executorId',
    build: (agentId: string, frameworkId: string, executorId: string) =>
      `/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}/executors/${enc(executorId)}`,
  },
  roles: { pattern: '/roles', build: () => '/roles' },
  offers: { pattern: '/offers', build: () => '/offers' },
  maintenance: { pattern: '/maintenance', build: () => '/maintenance' },
  /** The operations audit log (only with --allow-operations). */
  audit: { pattern: '/audit', build: () => '/audit' },
  /** Mesos before 1.0 said "slaves": old bookmarks land on the agents pages (MESOS-3779). */
  legacySlaves: { pattern: '/slaves/*' },
  executorSandbox: {
    pattern: '/agents/:agentId/frameworks/:frameworkId/executors/:executorId/browse',
    build: (agentId: string, frameworkId: string, executorId: string) =>
      `/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}/executors/${enc(executorId)}/browse`,
  },
  taskSandbox: {
    pattern: '/agents/:agentId/frameworks/:frameworkId/executors/:executorId/tasks/:taskId/browse',
    build: (agentId: string, frameworkId: string, executorId: string, taskId: string) =>
      `/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}/executors/${enc(executorId)}/tasks/${enc(taskId)}/browse`,
  },
  browse: {
    pattern: '/agents/:agentId/browse',
    build: (agentId: string, path?: string) => withPath(`/agents/${enc(agentId)}/browse`, path),
  },
  fileView: {
    pattern: '/agents/:agentId/files/view',
    build: (agentId: string, path: string) => withPath(`/agents/${enc(agentId)}/files/view`, path),
  },
  masterLog: { pattern: '/master/log', build: () => '/master/log' },
  /** An agent's own log (`/slave/log`) in the file viewer. */
  agentLog: { pattern: '/agents/:agentId/log', build: (agentId: string) => `/agents/${enc(agentId)}/log` },
  /** The logs of every instance (task) of an app, side by side or merged. */
  appLogs: {
    pattern: '/frameworks/:frameworkId/apps/:appName/logs',
    build: (frameworkId: string, appName: string, file?: string) =>
      `/frameworks/${enc(frameworkId)}/apps/${enc(appName)}/logs${file ? `?file=${enc(file)}` : ''}`,
  },
  /** Every task in the cluster; filters live in the URL (see `tasksSearch`). */
  tasks: { pattern: '/tasks', build: (search = '') => (search ? `/tasks?${search}` : '/tasks') },
  /** Tasks over a time range, from the task history. */
  taskHistory: {
    pattern: '/tasks/history',
    build: (search = '') => (search ? `/tasks/history?${search}` : '/tasks/history'),
  },
  failures: { pattern: '/failures', build: (search = '') => (search ? `/failures?${search}` : '/failures') },
  task: {
    pattern: '/tasks/:frameworkId/:taskId',
    build: (frameworkId: string, taskId: string) => `/tasks/${enc(frameworkId)}/${enc(taskId)}`,
  },
  /** Mesos's `/metrics/snapshot` (mesoscope's own Prometheus metrics are at the server's `/metrics`). */
  metrics: {
    pattern: '/mesos-metrics',
    build: (agentId?: string | null) => (agentId ? `/mesos-metrics?agent=${enc(agentId)}` : '/mesos-metrics'),
  },
  flags: {
    pattern: '/flags',
    build: (agentId?: string | null) => (agentId ? `/flags?agent=${enc(agentId)}` : '/flags'),
  },
  /** Marathon's apps and groups; `marathon` names one when mesoscope knows several. */
  marathonApps: {
    pattern: '/marathon/apps',
    build: (marathon?: string | null, search = '') => withMarathon('/marathon/apps', marathon, search),
  },
  /** One Marathon app: its id after `/marathon/apps` (`/marathon/apps/prod/web`). */
  marathonApp: {
    pattern: '/marathon/apps/*',
    build: (appId: string, marathon?: string | null) =>
      withMarathon(`/marathon/apps/${appId.split('/').filter(Boolean).map(enc).join('/')}`, marathon),
  },
  marathonDeployments: {
    pattern: '/marathon/deployments',
    build: (marathon?: string | null) => withMarathon('/marathon/deployments', marathon),
  },
  /** The wall display; docs/wall.md lists its URL options. */
  wall: { pattern: '/wall', build: () => '/wall' },
} as const;

/** Server URLs that are plain links (full page loads, not SPA routes). */
export const serverUrls = {
  agentDownload: (agentId: string, path: string) => `/agent/${enc(agentId)}/files/download?path=${enc(path)}`,
  masterLogDownload: () => `/mesos/files/download?path=${enc('/master/log')}`,
};
