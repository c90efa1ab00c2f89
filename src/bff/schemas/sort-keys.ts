/**
 * The columns the SPA may ask the BFF to sort by: the ids it sends as `sort=`, which are also its table column
 * ids. Values, not only types, so that the server's validation and the browser's URL handling read one list.
 */

/** The Tasks tables (`/api/tasks?sort=`). */
export const TASK_SORT_KEYS = [
  'id',
  'name',
  'framework',
  'role',
  'state',
  'health',
  'host',
  'agent',
  'start',
  'finish',
  'cpus',
  'mem',
  'disk',
] as const;

export type TaskSortKey = (typeof TASK_SORT_KEYS)[number];

export function isTaskSortKey(value: string | null | undefined): value is TaskSortKey {
  return typeof value === 'string' && (TASK_SORT_KEYS as readonly string[]).includes(value);
}

/** The Agents table (`/api/agents?sort=`): resources sort by the share allocated. */
export const AGENT_SORT_KEYS = [
  'id',
  'host',
  'state',
  'cpus',
  'gpus',
  'mem',
  'disk',
  'registeredTime',
  'reregisteredTime',
] as const;

export type AgentSortKey = (typeof AGENT_SORT_KEYS)[number];

export function isAgentSortKey(value: string | null | undefined): value is AgentSortKey {
  return typeof value === 'string' && (AGENT_SORT_KEYS as readonly string[]).includes(value);
}
