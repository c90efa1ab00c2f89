import type { LocalAgent } from '../agent/agent-node';
import type { TaskRecord, TaskStatusJson } from '../master/model';
import { TERMINAL_STATES } from '../master/model';
import { startHealthCheck } from './health-checks';
import { KILL_GRACE_MS } from './task-runner';
import type { StatusReporter, TaskCommand, TaskRunner } from './task-runner';
import { processGroupAlive, signalProcessGroup, spawnTaskProcess } from './task-process';
import type { TaskExit } from './task-process';

interface LiveProcess {
  pgid: number;
  exited: Promise<TaskExit>;
  killTimer?: NodeJS.Timeout;
}

/** What the process runner needs of the master. */
export interface ProcessRunnerHost {
  /** True once the cluster is shutting down. */
  closed(): boolean;
  agent(agentId: string): LocalAgent | undefined;
  readonly report: StatusReporter;
}

/**
 * Runs command tasks as the command executor does: `sh -c <cmd>` in its own process group in the task's
 * sandbox on the local agent, with Mesos's environment, its output in the sandbox's `stdout`/`stderr`,
 * STARTING and RUNNING once forked, and a terminal state from how the process ended.
 */
export class ProcessRunner implements TaskRunner {
  private readonly processes = new Map<string, LiveProcess>();
  private forkQueue: Promise<void> = Promise.resolve();

  constructor(private readonly host: ProcessRunnerHost) {}

  running(taskId: string): boolean {
    return this.processes.has(taskId);
  }

  async start(task: TaskRecord, command: TaskCommand): Promise<void> {
    const { host } = this;
    const agent = host.agent(task.agentId);
    if (!agent) throw new Error(`Unknown agent '${task.agentId}'`);
    agent.writeSandbox(
      task,
      'stderr',
      `${glogStamp('I')} exec.cpp:162] Version: 1.11.0\n${glogStamp('I')} exec.cpp:236] Executor registered on agent ${agent.id}\n`,
    );
    agent.writeSandbox(
      task,
      'stdout',
      `Received SUBSCRIBED event\nSubscribed executor on ${agent.hostname}\nReceived LAUNCH event\nStarting task ${task.id}\n`,
    );
    const env: Record<string, string> = {
      HOME: process.env.HOME ?? '/',
      HOST: agent.hostname,
      MESOS_SANDBOX: task.directory,
      MESOS_DIRECTORY: task.directory,
      MESOS_TASK_ID: task.id,
      MESOS_FRAMEWORK_ID: task.frameworkId,
      MESOS_AGENT_ID: agent.id,
      MESOS_SLAVE_ID: agent.id,
      MESOS_EXECUTOR_ID: task.id,
      MESOS_CONTAINER_ID: task.containerId,
      ...command.env,
    };
    const ports = task.resources.ports.flatMap(([b, e]) =>
      Array.from({ length: e - b + 1 }, (_, i) => b + i),
    );
    ports.forEach((port, i) => (env[`PORT${i}`] = String(port)));
    if (ports[0] !== undefined) env.PORT = String(ports[0]);
    if (ports.length > 0) env.PORTS = ports.join(',');

    // Forking blocks the event loop (tens of ms in a big process): one fork per turn of the loop keeps the
    // APIs answering while a framework launches hundreds of tasks at once.
    const turn = this.forkQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.forkQueue = turn;
    await turn;
    if (TERMINAL_STATES.has(task.state) || host.closed()) {
      if (!TERMINAL_STATES.has(task.state)) {
        host.report(task, 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
      }
      return;
    }
    let child;
    try {
      child = await spawnTaskProcess({ cmd: command.cmd, sandbox: task.directory, env });
    } catch (error) {
      host.report(task, 'TASK_FAILED', {
        reason: 'REASON_EXECUTOR_TERMINATED',
        message: `Failed to launch container: ${(error as Error).message}`,
      });
      throw error;
    }
    task.pid = child.pid;
    if (TERMINAL_STATES.has(task.state)) {
      // Killed while it was being forked.
      signalProcessGroup(child.pid, 'SIGKILL');
      return;
    }
    this.processes.set(task.id, { pgid: child.pid, exited: child.exited });
    agent.writeSandbox(task, 'stdout', `Forked command at ${child.pid}\nsh -c '${command.cmd}'\n`);
    // The CLI and the UI read the container (and its pid) from the very first update.
    const containerStatus: TaskStatusJson['container_status'] = {
      container_id: { value: task.containerId },
      executor_pid: child.pid,
      network_infos: [
        { ip_addresses: [{ protocol: 'IPv4', ip_address: task.extras?.containerIp ?? agent.address }] },
      ],
    };
    host.report(task, 'TASK_STARTING', { container_status: containerStatus });
    host.report(task, 'TASK_RUNNING', { container_status: containerStatus });
    const healthCheck = task.extras?.healthCheck;
    if (healthCheck) {
      startHealthCheck({
        spec: healthCheck,
        sandbox: task.directory,
        live: () => task.state === 'TASK_RUNNING' && !host.closed(),
        report: (healthy) =>
          host.report(task, 'TASK_RUNNING', {
            healthy,
            reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
          }),
      });
    }
    void child.exited.then((exit) => this.onExit(task, exit));
    // A shutdown that started while we were forking must not leave this process behind.
    if (host.closed()) signalProcessGroup(child.pid, 'SIGKILL');
  }

  async kill(task: TaskRecord, graceMs: number): Promise<void> {
    const live = this.processes.get(task.id);
    if (!live) return;
    if (!live.killTimer) {
      this.host
        .agent(task.agentId)
        ?.writeSandbox(task, 'stdout', 'Received KILL event\nSending SIGTERM to process tree\n');
      signalProcessGroup(live.pgid, 'SIGTERM');
      live.killTimer = setTimeout(() => signalProcessGroup(live.pgid, 'SIGKILL'), graceMs);
      live.killTimer.unref();
    }
    await live.exited;
    // `onExit` runs in a `then` attached earlier, so it has already recorded the terminal state.
  }

  /** SIGTERM to every task group, then SIGKILL for whatever is still alive after the grace period. */
  async shutdown(): Promise<void> {
    const live = [...this.processes.values()];
    for (const p of live) signalProcessGroup(p.pgid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS;
    while (Date.now() < deadline && live.some((p) => processGroupAlive(p.pgid))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.killAllNow();
    await Promise.all(live.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 500))])));
    for (const p of live) if (p.killTimer) clearTimeout(p.killTimer);
  }

  killAllNow(): void {
    for (const p of this.processes.values()) signalProcessGroup(p.pgid, 'SIGKILL');
  }

  private onExit(task: TaskRecord, exit: TaskExit): void {
    const { host } = this;
    const live = this.processes.get(task.id);
    if (live?.killTimer) clearTimeout(live.killTimer);
    this.processes.delete(task.id);
    // Like destroying the container: nothing the task started may outlive it (incl. the watchdog).
    if (task.pid !== undefined) signalProcessGroup(task.pid, 'SIGKILL');
    const agent = host.agent(task.agentId);
    // A partitioned agent's processes die unseen: the master hears nothing until it marks the agent unreachable.
    if (!agent || agent.partitioned) return;
    const signalName = exit.signal ?? undefined;
    if (task.killRequested || (host.closed() && signalName)) {
      agent.writeSandbox(
        task,
        'stdout',
        `Command terminated with signal ${signalName ?? 'SIGTERM'} (pid: ${task.pid})\n`,
      );
      host.report(task, 'TASK_KILLED', {
        message: `Command terminated with signal ${signalDescription(signalName ?? 'SIGTERM')}`,
      });
    } else if (signalName) {
      agent.writeSandbox(task, 'stdout', `Command terminated with signal ${signalName} (pid: ${task.pid})\n`);
      host.report(task, 'TASK_FAILED', {
        message: `Command terminated with signal ${signalDescription(signalName)}`,
      });
    } else {
      const code = exit.code ?? 0;
      agent.writeSandbox(task, 'stdout', `Command exited with status ${code} (pid: ${task.pid})\n`);
      host.report(task, code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', {
        message: `Command exited with status ${code}`,
      });
    }
  }
}

function signalDescription(signal: string): string {
  const names: Record<string, string> = {
    SIGTERM: 'Terminated',
    SIGKILL: 'Killed',
    SIGINT: 'Interrupt',
    SIGSEGV: 'Segmentation fault',
    SIGABRT: 'Aborted',
    SIGHUP: 'Hangup',
  };
  return names[signal] ?? signal;
}

function glogStamp(severity: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${severity}${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')} ${String(process.pid).padStart(5, ' ')}`;
}
