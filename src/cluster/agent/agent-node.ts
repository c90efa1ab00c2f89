import { appendFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FileAttachments } from '../http/files-api';
import { GlogFile } from '../glog';
import type { LibprocessServer } from '../http/http-server';
import { commandExecutorOf } from '../master/model';
import type { ExecutorRecord, TaskRecord } from '../master/model';
import type { ClusterResources } from '../master/resources';

/** Mesos keeps this many completed executors per framework (`--max_completed_executors_per_framework`). */
export const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;

/** A drain in progress or done (`drain_info` in master state, `drain_config` in agent state). */
export interface AgentDrain {
  state: 'DRAINING' | 'DRAINED';
  maxGracePeriodSecs: number | undefined;
  markGone: boolean;
  /** Float seconds. */
  startTime: number;
}

/** Resources an operator reserved for a role, and who did. */
export interface DynamicReservation {
  resources: ClusterResources;
  principal: string | undefined;
}

/** Static description of an agent. */
export interface AgentSpec {
  id: string;
  index: number;
  hostname: string;
  /** Where the agent listens and is reached (its pid); the reported `hostname` may be any name. */
  address?: string;
  workDir: string;
  resources: ClusterResources;
  attributes: Record<string, string | number>;
}

/**
 * One local agent: its work dir, real sandboxes, glog file, file attachments and the
 * executors it runs. The master's bookkeeping lives in {@link ClusterCore}.
 */
export class LocalAgent {
  readonly id: string;
  readonly index: number;
  readonly hostname: string;
  readonly address: string;
  readonly workDir: string;
  readonly logDir: string;
  readonly resources: ClusterResources;
  readonly attributes: Record<string, string | number>;
  readonly startTime: number;
  registeredTime: number;
  port = 0;
  server: LibprocessServer | undefined;
  readonly log: GlogFile;
  readonly files = new FileAttachments();
  /** Live executors by id. */
  readonly executors = new Map<string, ExecutorRecord>();
  /** Terminated executors, oldest first. */
  readonly completedExecutors: ExecutorRecord[] = [];
  /** Lifetime counters for `slave/*` metrics. */
  readonly counters = { terminalTasks: new Map<string, number>(), executorsTerminated: 0, statusUpdates: 0 };
  /** Reservations by role (`reserved_resources`), static and dynamic; the rest of `resources` is unreserved. */
  readonly reserved = new Map<string, ClusterResources>();
  /** The part of {@link reserved} an operator reserved dynamically (`/master/reserve`), by role. */
  readonly dynamicReservations = new Map<string, DynamicReservation>();
  /** Deactivated agents get no offers and no new tasks (the Agents page shows "Deactivated"). */
  deactivated = false;
  /** Set while the agent drains (DRAIN_AGENT); the master shows it as `drain_info`. */
  drain: AgentDrain | undefined;
  /** Cut off from the master: its HTTP server is stopped and its task processes are gone. */
  partitioned = false;
  /** `resource_providers` of the agent state, as Mesos writes them (e.g. a local storage provider). */
  readonly resourceProviders: Record<string, unknown>[] = [];

  constructor(spec: AgentSpec, now: number, sink?: (line: string) => void) {
    this.id = spec.id;
    this.index = spec.index;
    this.hostname = spec.hostname;
    this.address = spec.address ?? spec.hostname;
    this.workDir = spec.workDir;
    this.logDir = join(spec.workDir, 'log');
    this.resources = spec.resources;
    this.attributes = spec.attributes;
    this.startTime = now;
    this.registeredTime = now;
    mkdirSync(spec.workDir, { recursive: true });
    this.log = new GlogFile(
      join(this.logDir, 'mesos-agent.INFO'),
      sink && ((line) => sink(`[agent ${spec.index}] ${line}`)),
    );
    this.files.attach('/slave/log', this.log.path);
  }

  /** `slave(1)@host:port`, the libprocess pid of the agent. */
  get pid(): string {
    return `slave(1)@${this.address}:${this.port}`;
  }

  /** Creates the real sandbox of an executor's run (a command task's too) and attaches it under its Mesos names. */
  createSandbox(task: Pick<TaskRecord, 'frameworkId' | 'executorId' | 'containerId'>): string {
    const runs = join(
      this.workDir,
      'slaves',
      this.id,
      'frameworks',
      task.frameworkId,
      'executors',
      task.executorId,
      'runs',
    );
    const directory = join(runs, task.containerId);
    mkdirSync(directory, { recursive: true });
    const latest = join(runs, 'latest');
    rmSync(latest, { force: true });
    try {
      symlinkSync(task.containerId, latest);
    } catch {
      // `latest` is a convenience only.
    }
    this.files.attach(directory, directory);
    this.files.attach(`/frameworks/${task.frameworkId}/executors/${task.executorId}/runs/latest`, directory);
    return directory;
  }

  /** Registers the command executor of a task (called once its sandbox exists). */
  addExecutor(task: TaskRecord): ExecutorRecord {
    const executor = commandExecutorOf(task);
    this.executors.set(task.executorId, executor);
    return executor;
  }

  /** Moves a terminated executor to the completed list and garbage-collects old ones. */
  completeExecutor(executorId: string): void {
    const executor = this.executors.get(executorId);
    if (!executor) return;
    this.executors.delete(executorId);
    this.completedExecutors.push(executor);
    this.counters.executorsTerminated++;
    const ofFramework = this.completedExecutors.filter((e) => e.frameworkId === executor.frameworkId);
    if (ofFramework.length > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) {
      const evicted = ofFramework[0];
      if (evicted) {
        this.completedExecutors.splice(this.completedExecutors.indexOf(evicted), 1);
        this.files.detach(evicted.directory);
        this.files.detach(`/frameworks/${evicted.frameworkId}/executors/${evicted.id}/runs/latest`);
      }
    }
  }

  /** Appends command-executor style lines to a sandbox file (`stdout` or `stderr`). */
  writeSandbox(task: Pick<TaskRecord, 'directory'>, file: 'stdout' | 'stderr', text: string): void {
    try {
      appendFileSync(join(task.directory, file), text);
    } catch {
      // The sandbox may already be gone during shutdown.
    }
  }
}
