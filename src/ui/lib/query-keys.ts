/**
 * Hierarchical query keys. Everything is rooted at the cluster the mesoscope server is watching, so that
 * invalidating `queryKeys.all` refetches everything, and `queryKeys.tasks.all` every task page.
 * Keys are only built inside `queryOptions` factories.
 */
const root = ['cluster'] as const;

/** Where a file lives, as part of a key. */
type FileSourceKey = Readonly<{ kind: string; agentId?: string }>;

export const queryKeys = {
  all: root,
  status: () => [...root, 'status'] as const,
  audit: () => [...root, 'audit'] as const,
  /** The task history's answers (`/api/history/<what>?...`). */
  taskHistory: (what: string, query: Readonly<Record<string, string>>) =>
    [...root, 'task-history', what, query] as const,
  overview: () => [...root, 'overview'] as const,
  frameworks: () => [...root, 'frameworks'] as const,
  agents: () => [...root, 'agents'] as const,
  /** One page of the agents list (`/api/agents?...`). */
  agentList: (query: Readonly<Record<string, string | number>>) => [...root, 'agent-list', query] as const,
  /** One page of one frameworks table (`/api/frameworks?group=...`). */
  frameworkList: (query: Readonly<Record<string, string | number>>) =>
    [...root, 'framework-list', query] as const,
  framework: (frameworkId: string) => [...root, 'frameworks', frameworkId] as const,
  chronosJobs: (frameworkId: string) => [...root, 'frameworks', frameworkId, 'chronos-jobs'] as const,
  agent: {
    detail: (agentId: string) => [...root, 'agents', agentId] as const,
    framework: (agentId: string, frameworkId: string) =>
      [...root, 'agents', agentId, 'frameworks', frameworkId] as const,
    executor: (agentId: string, frameworkId: string, executorId: string) =>
      [...root, 'agents', agentId, 'frameworks', frameworkId, 'executors', executorId] as const,
  },
  offers: () => [...root, 'offers'] as const,
  roles: () => [...root, 'roles'] as const,
  maintenance: () => [...root, 'maintenance'] as const,
  wall: () => [...root, 'wall'] as const,
  history: (window: string) => [...root, 'history', window] as const,
  tasks: {
    all: [...root, 'tasks'] as const,
    page: (query: Readonly<Record<string, string | number>>) => [...root, 'tasks', query] as const,
    facets: () => [...root, 'tasks', 'facets'] as const,
    detail: (frameworkId: string, taskId: string) =>
      [...root, 'tasks', 'detail', frameworkId, taskId] as const,
    dns: (frameworkId: string, taskId: string) => [...root, 'tasks', 'dns', frameworkId, taskId] as const,
    json: (frameworkId: string, taskId: string) => [...root, 'tasks', 'json', frameworkId, taskId] as const,
  },
  search: (query: string, limit: number) => [...root, 'search', query, limit] as const,
  /** `agentId` null: the leading master. */
  metrics: (agentId: string | null) => [...root, 'metrics', agentId ?? 'master'] as const,
  flags: (agentId: string | null) => [...root, 'flags', agentId ?? 'master'] as const,
  sandbox: (params: { agentId: string; frameworkId: string; executorId: string; taskId: string | null }) =>
    [...root, 'agents', params.agentId, 'sandbox', params] as const,
  files: {
    browse: (agentId: string, path: string) => [...root, 'agents', agentId, 'files', 'browse', path] as const,
    /** `source`: `{ kind: 'agent', agentId }` or `{ kind: 'master' }`. */
    lineText: (source: FileSourceKey, path: string, offset: number, length: number) =>
      [...root, 'files', source, path, 'line-text', offset, length] as const,
    head: (source: FileSourceKey, path: string, limit: number) =>
      [...root, 'files', source, path, 'head', limit] as const,
    instances: (app: Readonly<Record<string, string>>) => [...root, 'files', 'instances', app] as const,
  },
};
