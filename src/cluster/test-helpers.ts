/** Shared helpers for the cluster tests: plain HTTP, exactly how any client reaches the cluster. */

export { eventually } from '../testing/eventually';

/** GETs a URL and parses the JSON body; throws on non-2xx. */
export async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} -> ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** True while a process (or, with `group`, a process group) exists. */
export function alive(pid: number, group = false): boolean {
  try {
    process.kill(group ? -pid : pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Minimal typings of the JSON the tests look at. */
export interface TaskJson {
  id: string;
  name: string;
  state: string;
  framework_id: string;
  slave_id: string;
  executor_id: string;
  statuses: { state: string; timestamp: number; container_status?: { executor_pid?: number } }[];
}

export interface FrameworkJson {
  id: string;
  name: string;
  active: boolean;
  tasks: TaskJson[];
  completed_tasks: TaskJson[];
  unreachable_tasks: TaskJson[];
  offers: { id: string; slave_id: string; framework_id: string; allocation_info: { role: string } }[];
  unregistered_time: number;
  [key: string]: unknown;
}

export interface MasterStateJson {
  id: string;
  pid: string;
  leader: string;
  leader_info: { id: string; pid: string; port: number; hostname: string };
  slaves: { id: string; pid: string; hostname: string; port: number; [key: string]: unknown }[];
  frameworks: FrameworkJson[];
  completed_frameworks: FrameworkJson[];
  [key: string]: unknown;
}

/** Executor pids of every running task in master state. */
export function runningPids(state: MasterStateJson): number[] {
  return state.frameworks
    .flatMap((f) => f.tasks)
    .flatMap((t) => t.statuses.map((s) => s.container_status?.executor_pid))
    .filter((pid): pid is number => typeof pid === 'number');
}
