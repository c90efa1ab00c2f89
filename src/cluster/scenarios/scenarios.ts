import type { LocalAgentHandle } from '../index';
import type { ClusterCore } from '../master/cluster-core';
import { startDemoScenario } from './demo-scenario';
import type { ScenarioHandle } from './demo-scenario';
import { startHostileScenario } from './hostile-scenario';
import type { ScenarioName } from '../options';
import { startParityScenario } from './parity-scenario';
import { applyDemoPolicies, scheduleDemoMaintenance } from './scenario-policies';

/** Starts the named scenario over the agents already registered; `addAgent` starts more. */
export async function startScenario(
  name: ScenarioName,
  core: ClusterCore,
  addAgent: () => Promise<LocalAgentHandle>,
  marathonUrl?: string,
  demoOptions: { scriptedChronos?: boolean } = {},
): Promise<ScenarioHandle | undefined> {
  switch (name) {
    case 'empty':
      return undefined;
    case 'demo': {
      applyDemoPolicies(core);
      const demo = await startDemoScenario(core, marathonUrl, demoOptions);
      scheduleDemoMaintenance(core);
      return demo;
    }
    case 'parity':
      return startParityScenario(core, addAgent);
    case 'hostile':
      return startHostileScenario(core, addAgent);
  }
}
