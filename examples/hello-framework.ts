/**
 * A first Mesos framework: it subscribes to the master's scheduler API, launches N command tasks on the offers
 * that fit them, counts them RUNNING and FINISHED, and tears itself down when all are done.
 *
 *   npx tsx examples/hello-framework.ts --master http://127.0.0.1:5050 --tasks 5
 *
 * It keeps its framework id and its tasks in a state file: killed and started again, it re-subscribes with the
 * same id (within --failover-timeout its tasks keep running) and reconciles them with the master. Ctrl-C tears
 * the framework down (its tasks are killed) and removes the state file.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SchedulerConnection } from './scheduler-connection';
import type { SchedulerEvent } from './scheduler-connection';

const TERMINAL = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

interface TaskRecord {
  state: string;
  agentId: string;
}

/** What survives a restart of the framework. */
interface SavedState {
  frameworkId: string;
  tasks: Record<string, TaskRecord>;
}

const { values } = parseArgs({
  options: {
    master: { type: 'string', default: 'http://127.0.0.1:5050' },
    tasks: { type: 'string', default: '5' },
    cmd: { type: 'string', default: 'echo "hello from $MESOS_TASK_ID"; sleep 2' },
    cpus: { type: 'string', default: '0.1' },
    mem: { type: 'string', default: '32' },
    name: { type: 'string', default: 'hello-framework' },
    role: { type: 'string', default: '*' },
    'state-file': { type: 'string', default: '.hello-framework.json' },
    'failover-timeout': { type: 'string', default: '60' },
  },
});

const wanted = positiveNumber('tasks', values.tasks);
const taskCpus = positiveNumber('cpus', values.cpus);
const taskMem = positiveNumber('mem', values.mem);
const failoverTimeout = positiveNumber('failover-timeout', values['failover-timeout']);
const stateFile = values['state-file'];

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`hello-framework: --${flag} must be a positive number, not ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return value;
}

function loadState(): SavedState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as SavedState;
  } catch (error) {
    console.error(`hello-framework: ignoring ${stateFile}: ${(error as Error).message}`);
    return undefined;
  }
}

const saved = loadState();
let frameworkId = saved?.frameworkId ?? '';
const tasks = new Map<string, TaskRecord>(Object.entries(saved?.tasks ?? {}));
const connection = new SchedulerConnection(values.master);
let stopping = false;
let resubscribeDelayMs = 500;
/** Counts SUBSCRIBE calls, so that the end of a stream we replaced is not taken for a lost connection. */
let subscriptions = 0;
let subscribedThisRun = false;

function saveState(): void {
  writeFileSync(stateFile, JSON.stringify({ frameworkId, tasks: Object.fromEntries(tasks) }, null, 2));
}

function count(state: string): number {
  return [...tasks.values()].filter((t) => t.state === state).length;
}

/** Tasks still to launch: failed ones count as done, so a task that cannot run does not loop forever. */
function stillToLaunch(): number {
  return wanted - tasks.size;
}

function progress(): string {
  return `running ${count('TASK_RUNNING')}, finished ${count('TASK_FINISHED')} of ${wanted}`;
}

function subscribe(): void {
  const subscription = ++subscriptions;
  const frameworkInfo: Record<string, unknown> = {
    user: userInfo().username,
    name: values.name,
    roles: [values.role],
    failover_timeout: failoverTimeout,
    capabilities: [{ type: 'MULTI_ROLE' }],
  };
  const call: Record<string, unknown> = { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } };
  if (frameworkId) {
    frameworkInfo.id = { value: frameworkId };
    call.framework_id = { value: frameworkId };
  }
  connection.subscribe(call, {
    onEvent: (event) => void handle(event).catch(fail),
    onClose: (reason) => {
      if (stopping || subscription !== subscriptions) return;
      console.log(`event stream closed (${reason}); subscribing again in ${resubscribeDelayMs} ms`);
      setTimeout(subscribe, resubscribeDelayMs);
      resubscribeDelayMs = Math.min(resubscribeDelayMs * 2, 10_000);
    },
  });
}

async function handle(event: SchedulerEvent): Promise<void> {
  switch (event.type) {
    case 'SUBSCRIBED':
      return subscribed(event.subscribed.framework_id.value as string);
    case 'OFFERS':
      return offers(event.offers.offers ?? []);
    case 'UPDATE':
      return update(event.update.status);
    case 'RESCIND':
      return console.log(`offer ${event.rescind.offer_id.value} rescinded`);
    case 'ERROR':
      if (frameworkId && !subscribedThisRun) return startOver(event.error.message as string);
      return fail(new Error(`the master says: ${event.error.message}`));
    case 'FAILURE':
      return console.log(`failure on agent ${event.failure.agent_id?.value ?? '?'}`);
    default:
      return; // HEARTBEAT, MESSAGE...
  }
}

/** The saved framework is gone (torn down, or its failover timeout passed): its tasks with it. */
function startOver(message: string): void {
  console.log(`framework ${frameworkId} is gone (${message}): subscribing as a new framework`);
  frameworkId = '';
  tasks.clear();
  saveState();
  subscribe();
}

async function subscribed(id: string): Promise<void> {
  resubscribeDelayMs = 500;
  subscribedThisRun = true;
  const again = id === frameworkId;
  frameworkId = id;
  saveState();
  if (!again) {
    console.log(`subscribed as framework ${id}`);
    return;
  }
  // After a restart, ask the master where our tasks are: explicitly for those we know, then implicitly for any
  // we launched but never heard of (the master answers with UPDATEs carrying no uuid).
  const open = [...tasks.entries()].filter(([, t]) => !TERMINAL.has(t.state));
  console.log(`re-subscribed as framework ${id}: reconciling ${open.length} tasks (${progress()})`);
  await connection.call(frameworkId, 'RECONCILE', {
    reconcile: {
      tasks: open.map(([taskId, t]) => ({ task_id: { value: taskId }, agent_id: { value: t.agentId } })),
    },
  });
  await connection.call(frameworkId, 'RECONCILE', { reconcile: { tasks: [] } });
  await finishIfDone();
}

function scalar(offer: SchedulerEvent, name: string): number {
  return (offer.resources as SchedulerEvent[])
    .filter((r) => r.name === name && r.type === 'SCALAR')
    .reduce((sum, r) => sum + Number(r.scalar?.value ?? 0), 0);
}

async function offers(list: SchedulerEvent[]): Promise<void> {
  for (const offer of list) {
    const fit = Math.min(
      stillToLaunch(),
      Math.floor(scalar(offer, 'cpus') / taskCpus),
      Math.floor(scalar(offer, 'mem') / taskMem),
    );
    if (stopping || fit <= 0) {
      // Nothing to run here: give it back, and ask not to see it again soon when nothing is left to launch.
      const refuseSeconds = stillToLaunch() > 0 ? 5 : 3600;
      await connection.call(frameworkId, 'DECLINE', {
        decline: { offer_ids: [offer.id], filters: { refuse_seconds: refuseSeconds } },
      });
      continue;
    }
    const allocationInfo = offer.allocation_info ?? { role: values.role };
    const taskInfos = Array.from({ length: fit }, () => {
      // Unique across runs too: a task id of a framework that is gone may still be known to the master.
      const taskId = `hello-${tasks.size + 1}-${randomUUID().slice(0, 8)}`;
      tasks.set(taskId, { state: 'TASK_STAGING', agentId: offer.agent_id.value });
      return {
        name: taskId,
        task_id: { value: taskId },
        agent_id: offer.agent_id,
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: taskCpus }, allocation_info: allocationInfo },
          { name: 'mem', type: 'SCALAR', scalar: { value: taskMem }, allocation_info: allocationInfo },
        ],
        command: { shell: true, value: values.cmd },
      };
    });
    // Saved before the ACCEPT: a restart then reconciles tasks that may have started.
    saveState();
    await connection.call(frameworkId, 'ACCEPT', {
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }],
        filters: { refuse_seconds: 1 },
      },
    });
    for (const t of taskInfos) console.log(`launched ${t.task_id.value} on agent ${offer.agent_id.value}`);
  }
  if (stillToLaunch() === 0 && !stopping) {
    await connection.call(frameworkId, 'SUPPRESS', { suppress: { roles: [values.role] } });
  }
}

async function update(status: SchedulerEvent): Promise<void> {
  const taskId = status.task_id.value as string;
  const known = tasks.get(taskId);
  if (known && known.state !== status.state) {
    tasks.set(taskId, { state: status.state, agentId: status.agent_id?.value ?? known.agentId });
    saveState();
    const why = status.message ? `: ${status.message}` : '';
    console.log(`${taskId} ${status.state}${why} (${progress()})`);
  }
  // Updates with a uuid are resent until acknowledged; reconciliation answers have none and need no ACK.
  if (status.uuid) {
    await connection.call(frameworkId, 'ACKNOWLEDGE', {
      acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
    });
  }
  await finishIfDone();
}

async function finishIfDone(): Promise<void> {
  if (stopping || tasks.size < wanted) return;
  if ([...tasks.values()].some((t) => !TERMINAL.has(t.state))) return;
  const failed = [...tasks.entries()].filter(([, t]) => t.state !== 'TASK_FINISHED');
  if (failed.length === 0) console.log(`all ${wanted} tasks finished: tearing down`);
  else
    console.log(
      `${failed.length} of ${wanted} tasks did not finish: ${failed.map(([id, t]) => `${id} ${t.state}`).join(', ')}`,
    );
  await shutdown(failed.length === 0 ? 0 : 1);
}

/** TEARDOWN ends the framework on the master (its tasks are killed) and closes the event stream. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    if (frameworkId) await connection.call(frameworkId, 'TEARDOWN');
  } catch (error) {
    console.error(`hello-framework: ${(error as Error).message}`);
    code = code || 1;
  }
  connection.disconnect();
  rmSync(stateFile, { force: true });
  process.exit(code);
}

function fail(error: Error): void {
  console.error(`hello-framework: ${error.message}`);
  void shutdown(1);
}

process.on('SIGINT', () => {
  console.log('SIGINT: tearing the framework down');
  void shutdown(0);
});

subscribe();
