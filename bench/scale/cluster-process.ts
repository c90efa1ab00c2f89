/**
 * A scale-scenario cluster in its own process, so that what the benchmark measures of mesoscope is
 * mesoscope's alone. Driven over IPC: `traffic` (what the master was asked and sent), `pick` (a running task),
 * `kill` (kill it, answering when), `stop`.
 *
 *   node --import tsx bench/scale/cluster-process.ts <small|large|massive|gigantic>
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startScaleCluster } from '../../src/cluster';
import type { ScaleScenarioName } from '../../src/cluster';

export type ClusterRequest =
  | { id: number; type: 'traffic' }
  | { id: number; type: 'pick' }
  | { id: number; type: 'kill'; taskId: string }
  | { id: number; type: 'stop' };

const scenario = (process.argv[2] ?? 'small') as ScaleScenarioName;
const cluster = await startScaleCluster({ scenario, seed: 1 });
const send = (message: unknown) => process.send?.(message);
send({
  type: 'ready',
  masterUrl: cluster.masterUrl,
  agents: cluster.sim.agents.length,
  tasks: cluster.sim.tasksById.size,
});

// A master whose one thread is held for seconds answers nothing meanwhile (no heartbeat, no byte of a stream):
// said on stderr, so that a client's stall can be told from the master's.
const loopDelay = monitorEventLoopDelay({ resolution: 50 });
loopDelay.enable();
setInterval(() => {
  const maxSecs = loopDelay.max / 1e9;
  if (maxSecs >= 2)
    process.stderr.write(
      `${new Date().toISOString()} simulated master: its event loop was held up to ${maxSecs.toFixed(1)} s\n`,
    );
  loopDelay.reset();
}, 5_000).unref();

process.on('message', (request: ClusterRequest) => {
  void (async () => {
    switch (request.type) {
      case 'traffic':
        return send({ id: request.id, result: cluster.control.masterTraffic() });
      case 'pick': {
        // A running task of a framework that is not about to be replaced, found the way the churn finds them.
        const running = [...cluster.sim.tasksById.values()].filter((t) => t.state === 'TASK_RUNNING');
        const task = running[Math.floor(Math.random() * running.length)];
        return send({
          id: request.id,
          result: task ? { taskId: task.id, frameworkId: task.frameworkId } : null,
        });
      }
      case 'kill': {
        const at = Date.now();
        await cluster.control.killTask(request.taskId);
        return send({ id: request.id, result: { at } });
      }
      case 'stop':
        await cluster.close();
        send({ id: request.id, result: null });
        process.exit(0);
    }
  })().catch((error: Error) => send({ id: request.id, error: error.message }));
});
process.on('disconnect', () => void cluster.close().then(() => process.exit(0)));
