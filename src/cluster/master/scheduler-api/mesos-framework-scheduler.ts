/**
 * A scheduler built on the npm package `mesos-framework`, as its users write one, for the tests: command
 * tasks declared the library's way (it launches them from its own OFFERS handler), and tasks run by the
 * framework's own executor (an executor written with the library's Executor class).
 *
 * The library puts a task's `commandInfo` (which it requires) next to its `executorInfo` in every TaskInfo,
 * which Mesos refuses ("at least one (but not both) of CommandInfo or ExecutorInfo"); so executor tasks are
 * launched as the library's documented way out allows: a custom OFFERS handler that accepts an offer with
 * TaskInfos built from the library's own Mesos protobuf classes, leaving other offers to the library.
 */
import { createRequire } from 'node:module';
import { sumScalar } from '../../../mesos/resources';

export interface MesosFrameworkScheduler {
  on(event: string, listener: (payload: Record<string, unknown>) => void): void;
  subscribe(): void;
  teardown(): void;
  accept(offerIds: unknown[], operations: unknown, filters: unknown): void;
  frameworkId: string | null;
  /** The library's declared tasks not launched yet. */
  pendingTasks: unknown[];
}

type Message = Record<string, unknown>;
type MessageClass = new (...args: unknown[]) => Message;

interface MesosFramework {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: {
    getMesos(): {
      CommandInfo: MessageClass;
      ExecutorInfo: MessageClass;
      TaskInfo: MessageClass;
      Offer: { Operation: MessageClass };
    };
  };
}

interface Offer {
  id: { value: string };
  agent_id: { value: string };
  resources: { name: string; scalar?: { value: number } }[];
}

const require = createRequire(import.meta.url);
export const mesosFramework = require('mesos-framework') as MesosFramework;
const libraryHandlers = require('mesos-framework/lib/schedulerHandlers') as {
  OFFERS: (this: MesosFrameworkScheduler, offers: { offers: Offer[] }) => void;
};

const CPUS = 0.1;
const MEM = 32;

export interface MesosFrameworkSchedulerOptions {
  masterUrl: string;
  name: string;
  logDir: string;
  /** Command tasks, declared to the library: how many and the shell command each runs. */
  commandTasks: { instances: number; command: string };
  /** Tasks for the framework's own executor: how many, and the shell command that starts the executor. */
  executorTasks: { instances: number; executorCommand: string; environment?: Record<string, string> };
}

function scalar(name: string, value: number): Message {
  return { name, type: 'SCALAR', scalar: { value } };
}

/** A subscribed-on-ready scheduler, and the task ids it gave its executor tasks. */
export function mesosFrameworkScheduler(options: MesosFrameworkSchedulerOptions): {
  scheduler: MesosFrameworkScheduler;
  executorTaskIds: string[];
} {
  const Mesos = mesosFramework.Mesos.getMesos();
  const url = new URL(options.masterUrl);
  const executorTaskIds: string[] = [];
  const { executorTasks } = options;
  function launchExecutorTasks(this: MesosFrameworkScheduler, offer: Offer): boolean {
    const room = Math.min(
      Math.floor(sumScalar(offer.resources, 'cpus') / (2 * CPUS) + 1e-9),
      Math.floor(sumScalar(offer.resources, 'mem') / (2 * MEM)),
    );
    const count = Math.min(room, executorTasks.instances - executorTaskIds.length);
    if (count <= 0) return false;
    const taskInfos = Array.from({ length: count }, () => {
      const taskId = `${options.name}.own-executor.${executorTaskIds.length}`;
      executorTaskIds.push(taskId);
      const environment = Object.entries(executorTasks.environment ?? {}).map(([name, value]) => ({
        name,
        value,
      }));
      return new Mesos.TaskInfo({
        name: 'own-executor',
        task_id: { value: taskId },
        agent_id: offer.agent_id,
        resources: [scalar('cpus', CPUS), scalar('mem', MEM)],
        executor: new Mesos.ExecutorInfo({
          executor_id: { value: `${taskId}.executor` },
          name: `${options.name} executor`,
          command: new Mesos.CommandInfo({
            value: executorTasks.executorCommand,
            shell: true,
            environment: { variables: environment },
          }),
          resources: [scalar('cpus', CPUS), scalar('mem', MEM)],
        }),
      });
    });
    this.accept(
      [offer.id],
      [new Mesos.Offer.Operation({ type: 'LAUNCH', launch: { task_infos: taskInfos } })],
      null,
    );
    return true;
  }
  const scheduler = new mesosFramework.Scheduler({
    masterUrl: url.hostname,
    port: Number(url.port),
    frameworkName: options.name,
    masterConnectionTimeout: 60,
    logging: { path: options.logDir, fileName: 'scheduler.log', level: 'error' },
    tasks: {
      command: {
        priority: 1,
        instances: options.commandTasks.instances,
        commandInfo: new Mesos.CommandInfo(null, null, true, options.commandTasks.command, null, null),
        resources: { cpus: CPUS, mem: MEM, ports: 0, disk: 0 },
      },
    },
    handlers: {
      // One parameter, or the library ignores the handler.
      OFFERS: function (this: MesosFrameworkScheduler, event: { offers: Offer[] }) {
        // The library's own tasks get the first offer while it has some to launch, the executor tasks the others.
        const others = event.offers.slice(1);
        const mine = this.pendingTasks.length > 0 ? others : event.offers;
        const rest = event.offers.filter(
          (offer) => !mine.includes(offer) || !launchExecutorTasks.call(this, offer),
        );
        if (rest.length > 0) libraryHandlers.OFFERS.call(this, { offers: rest });
      },
    },
  });
  scheduler.on('ready', () => scheduler.subscribe());
  return { scheduler, executorTaskIds };
}
