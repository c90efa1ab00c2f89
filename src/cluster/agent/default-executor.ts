/**
 * Mesos's default executor (src/launcher/default_executor.cpp), run by the agent itself: each task of a
 * group is a process in its own nested container, sandboxed in `tasks/<task_id>/` of the executor's sandbox.
 * When a task fails or is killed, the rest of its group is killed; once every task has ended, the executor
 * ends too.
 */
import type { ClusterCore } from '../master/cluster-core';
import type { V1Json } from './launch-contract';
import { TERMINAL_STATES } from '../master/model';
import type { TaskRecord } from '../master/model';
import { signalProcessGroup, spawnTaskProcess } from '../runner/task-process';
import type { TaskExit } from '../runner/task-process';
import { asObject, environmentOf, urisOf } from './executor-info';
import type { RunningExecutor } from './executors';
import { fetchUris } from './fetcher';

interface GroupTask {
  task: TaskRecord;
  group: GroupTask[];
  containerId: string;
  pid?: number;
  exited?: Promise<void>;
  killTimer?: NodeJS.Timeout;
}

export class DefaultExecutor {
  /** Resolves once every task launched so far has ended and no process is left. */
  readonly finished: Promise<void>;
  private readonly tasks = new Map<string, GroupTask>();
  private resolveFinished: () => void = () => undefined;
  private launching = 0;

  constructor(
    private readonly core: ClusterCore,
    private readonly executor: RunningExecutor,
    private readonly graceMs: number,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    const { agent, framework, record } = executor;
    agent.writeSandbox(
      record,
      'stdout',
      `Received SUBSCRIBED event\nSubscribed executor on ${agent.hostname}\n`,
    );
    agent.log.log(
      'I',
      'slave.cpp:5264',
      `Received Subscribe request for HTTP executor '${record.id}' of framework ${framework.id}`,
    );
  }

  /** The nested container a task runs in. */
  containerOf(taskId: string): { containerId: string; pid?: number } | undefined {
    return this.tasks.get(taskId);
  }

  /** LAUNCH_GROUP: every task starts at once, each in its own nested container. */
  launchGroup(tasks: TaskRecord[], infos: V1Json[]): void {
    const group: GroupTask[] = [];
    for (const task of tasks) {
      const entry: GroupTask = { task, group, containerId: task.containerId };
      group.push(entry);
      this.tasks.set(task.id, entry);
    }
    this.executor.agent.writeSandbox(
      this.executor.record,
      'stdout',
      `Received LAUNCH_GROUP event\nSetting 'MESOS_CONTAINER_IP' to: ${this.executor.agent.hostname}\n`,
    );
    this.launching++;
    void Promise.all(group.map((entry, i) => this.start(entry, asObject(infos[i]?.command)))).finally(() => {
      this.launching--;
      this.checkFinished();
    });
  }

  /** Kills a task; once it is TASK_KILLED, the kill policy takes the rest of its group down too. */
  async kill(taskId: string, graceMs: number): Promise<void> {
    const entry = this.tasks.get(taskId);
    if (!entry) return;
    this.killGroup([entry], graceMs);
    // Killed before its process started, it ends once its launch notices.
    while (!TERMINAL_STATES.has(entry.task.state)) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  /** SHUTDOWN: kills every task. */
  shutdown(graceMs = this.graceMs): void {
    const groups = new Set([...this.tasks.values()].map((t) => t.group));
    for (const group of groups) this.killGroup(group, graceMs);
    this.checkFinished();
  }

  signalAll(signal: NodeJS.Signals): void {
    for (const entry of this.tasks.values())
      if (entry.pid !== undefined) signalProcessGroup(entry.pid, signal);
  }

  private killGroup(group: GroupTask[], graceMs: number): void {
    for (const entry of group) {
      if (TERMINAL_STATES.has(entry.task.state)) continue;
      entry.task.killRequested = true;
      if (entry.pid === undefined) continue;
      if (this.executor.framework.capabilities.includes('TASK_KILLING_STATE')) {
        this.core.updateStatus(entry.task, 'TASK_KILLING', {
          container_status: this.executor.containerStatus(entry.task),
        });
      }
      signalProcessGroup(entry.pid, 'SIGTERM');
      const pid = entry.pid;
      entry.killTimer ??= setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), graceMs);
      entry.killTimer.unref();
    }
  }

  private async start(entry: GroupTask, command: V1Json | undefined): Promise<void> {
    const { task } = entry;
    const { agent, framework, record } = this.executor;
    try {
      const uris = urisOf(command);
      if (uris.length > 0) await fetchUris({ uris, sandbox: task.directory, containerId: entry.containerId });
    } catch (error) {
      this.core.failLaunch(task, error as Error);
      this.onEnded(entry);
      return;
    }
    if (task.killRequested || TERMINAL_STATES.has(task.state) || this.core.closed) {
      this.core.updateStatus(task, 'TASK_KILLED', {
        source: 'SOURCE_AGENT',
        reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
        container_status: this.executor.containerStatus(task),
      });
      this.onEnded(entry);
      return;
    }
    let child;
    try {
      child = await spawnTaskProcess({
        cmd: task.command,
        sandbox: task.directory,
        env: {
          HOME: process.env.HOME ?? '/',
          HOST: agent.hostname,
          MESOS_SANDBOX: task.directory,
          MESOS_DIRECTORY: record.directory,
          MESOS_TASK_ID: task.id,
          MESOS_FRAMEWORK_ID: framework.id,
          MESOS_EXECUTOR_ID: record.id,
          MESOS_AGENT_ID: agent.id,
          MESOS_SLAVE_ID: agent.id,
          MESOS_CONTAINER_ID: entry.containerId,
          MESOS_CONTAINER_IP: agent.address,
          ...environmentOf(command),
        },
      });
    } catch (error) {
      this.core.failLaunch(task, error as Error);
      this.onEnded(entry);
      return;
    }
    entry.pid = child.pid;
    task.pid = child.pid;
    agent.writeSandbox(
      record,
      'stdout',
      `Launched child container ${entry.containerId} for task '${task.id}'\n`,
    );
    const containerStatus = this.executor.containerStatus(task);
    this.core.updateStatus(task, 'TASK_STARTING', { container_status: containerStatus });
    this.core.updateStatus(task, 'TASK_RUNNING', { container_status: containerStatus });
    if (task.killRequested || this.core.closed) signalProcessGroup(child.pid, 'SIGKILL');
    entry.exited = child.exited.then((exit) => this.exited(entry, exit));
    await entry.exited;
  }

  private exited(entry: GroupTask, exit: TaskExit): void {
    const { task } = entry;
    if (entry.killTimer) clearTimeout(entry.killTimer);
    if (entry.pid !== undefined) signalProcessGroup(entry.pid, 'SIGKILL');
    const { agent, record } = this.executor;
    const container_status = this.executor.containerStatus(task);
    if (!agent.partitioned) {
      if (task.killRequested) {
        this.core.updateStatus(task, 'TASK_KILLED', {
          message: `Command terminated with signal ${exit.signal ?? 'SIGTERM'}`,
          container_status,
        });
      } else if (exit.signal) {
        this.core.updateStatus(task, 'TASK_FAILED', {
          message: `Command terminated with signal ${exit.signal}`,
          container_status,
        });
      } else {
        const code = exit.code ?? 0;
        this.core.updateStatus(task, code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', {
          message: `Command exited with status ${code}`,
          container_status,
        });
      }
      agent.writeSandbox(
        record,
        'stdout',
        `Child container ${entry.containerId} of task '${task.id}' completed in state ${task.state}\n`,
      );
    }
    this.onEnded(entry);
  }

  /** The default restart policy: a task that failed or was killed takes the rest of its group down with it. */
  private onEnded(entry: GroupTask): void {
    const others = entry.group.filter((t) => t !== entry && !TERMINAL_STATES.has(t.task.state));
    if (
      entry.task.state !== 'TASK_FINISHED' &&
      others.length > 0 &&
      !others.every((t) => t.task.killRequested)
    ) {
      this.executor.agent.writeSandbox(
        this.executor.record,
        'stdout',
        `Killing task group containing tasks [ ${entry.group.map((t) => t.task.id).join(', ')} ]\n`,
      );
      this.killGroup(entry.group, this.graceMs);
    }
    this.checkFinished();
  }

  private checkFinished(): void {
    if (this.launching > 0) return;
    const done = [...this.tasks.values()].every(
      (t) => TERMINAL_STATES.has(t.task.state) && (t.pid === undefined || t.exited !== undefined),
    );
    if (done) this.resolveFinished();
  }
}
