/**
 * `parity`: the demo plus one agent in every state the Mesos UI knows, for tests that need them all. Four
 * agents join the requested ones: one DRAINING (a task that ignores SIGTERM keeps it draining for an hour),
 * one DRAINED, one deactivated, and one that drops off the network and is marked unreachable a few seconds
 * later (its marathon task becomes TASK_UNREACHABLE, its chronos task TASK_LOST). Maintenance also lists a
 * machine that is down.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deactivateAgent, drainAgent, makeAgentUnreachable } from '../master/agent-lifecycle';
import type { ClusterCore } from '../master/cluster-core';
import { startDemoScenario } from './demo-scenario';
import type { ScenarioHandle } from './demo-scenario';
import { nowSecs } from '../master/ids';
import type { LocalAgentHandle } from '../index';
import { applyDemoPolicies, scheduleDemoMaintenance } from './scenario-policies';

/** How long the partitioned agent stays silent before the master marks it unreachable. */
export const PARITY_UNREACHABLE_AFTER_MS = 3_000;

const DRAIN_GRACE_SECS = 3_600;

/** Ignores SIGTERM, as a task with a long kill grace period would, so the drain lasts. */
const STUBBORN_CMD = 'trap "" TERM; printf "%s-%s\\n" trap set; while true; do echo draining; sleep 2; done';
/** What the task prints once its trap is set (not a substring of the command, which the sandbox also logs). */
const STUBBORN_READY = 'trap-set';

export async function startParityScenario(
  core: ClusterCore,
  addAgent: () => Promise<LocalAgentHandle>,
): Promise<ScenarioHandle> {
  applyDemoPolicies(core);
  const demo = await startDemoScenario(core);
  const marathon = core.frameworkByName('marathon');
  const chronos = core.frameworkByName('chronos');
  if (!marathon || !chronos) throw new Error('the parity scenario needs the demo frameworks');

  const first = core.agents[0];
  first?.resourceProviders.push(storageProvider(first.id));

  const draining = await addAgent();
  const stubborn = await core.launchTask({
    frameworkId: marathon.id,
    name: 'stubborn',
    cmd: STUBBORN_CMD,
    cpus: 0.1,
    mem: 16,
    agentId: draining.id,
  });
  // Drain only once the task has set its trap, or the SIGTERM could arrive first.
  await waitForOutput(join(stubborn.directory, 'stdout'), STUBBORN_READY);
  void drainAgent(core, draining.id, { maxGracePeriodSecs: DRAIN_GRACE_SECS });

  const drained = await addAgent();
  await drainAgent(core, drained.id, { maxGracePeriodSecs: 0 });

  const deactivated = await addAgent();
  deactivateAgent(core, deactivated.id);

  const lost = await addAgent();
  await core.launchTask({
    frameworkId: marathon.id,
    name: 'partitioned-web',
    cmd: 'while true; do echo "serving"; sleep 2; done',
    cpus: 0.2,
    mem: 32,
    agentId: lost.id,
  });
  await core.launchTask({
    frameworkId: chronos.id,
    taskId: `ct:${Date.now()}:0:partitioned-job:`,
    name: 'ChronosTask:partitioned-job',
    cmd: 'while true; do sleep 2; done',
    cpus: 0.1,
    mem: 16,
    agentId: lost.id,
  });
  void makeAgentUnreachable(core, lost.id, PARITY_UNREACHABLE_AFTER_MS);

  const retired = { hostname: 'retired-1.mesoscope.local', ip: '10.0.0.99' };
  scheduleDemoMaintenance(core, {
    windows: [{ machines: [retired], start: nowSecs() - 1800, durationSecs: 4 * 3600 }],
    down: [retired],
  });
  return demo;
}

async function waitForOutput(file: string, text: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const content = await readFile(file, 'utf8').catch(() => '');
    if (content.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function storageProvider(agentId: string): Record<string, unknown> {
  return {
    resource_provider_info: {
      id: { value: `${agentId}-rp-lvm` },
      type: 'org.apache.mesos.rp.local.storage',
      name: 'lvm',
    },
    total_resources: [
      { name: 'disk', type: 'SCALAR', scalar: { value: 102400 }, disk: { source: { type: 'RAW' } } },
    ],
  };
}
