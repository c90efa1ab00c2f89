/** The built-in scenarios. */
export const SCENARIOS = ['demo', 'empty', 'parity', 'hostile'] as const;

/** Name of a built-in scenario. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Options after defaults are applied (see `LocalClusterOptions` in index.ts). */
export interface ResolvedOptions {
  agents: number;
  scenario: ScenarioName;
  seed: number;
  host: string;
  masterPort: number;
  workDir: string | undefined;
  clusterName: string;
  log: ((line: string) => void) | undefined;
}

/** Applies defaults and validates; throws with a clear message on bad values. */
export function resolveOptions(options: {
  agents?: number;
  scenario?: string;
  seed?: number;
  host?: string;
  masterPort?: number;
  workDir?: string;
  clusterName?: string;
  log?: (line: string) => void;
}): ResolvedOptions {
  const scenario = options.scenario ?? 'demo';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new Error(`Unknown scenario '${scenario}'; valid scenarios: ${SCENARIOS.join(', ')}`);
  }
  const agents = options.agents ?? 3;
  if (!Number.isInteger(agents) || agents < 1 || agents > 64) {
    throw new Error(`agents must be an integer between 1 and 64, got ${agents}`);
  }
  const masterPort = options.masterPort ?? 0;
  if (!Number.isInteger(masterPort) || masterPort < 0 || masterPort > 65535) {
    throw new Error(`masterPort must be an integer between 0 and 65535, got ${masterPort}`);
  }
  return {
    agents,
    scenario: scenario as ScenarioName,
    seed: options.seed ?? 1,
    host: options.host ?? '127.0.0.1',
    masterPort,
    workDir: options.workDir,
    clusterName: options.clusterName ?? 'mesoscope-local',
    log: options.log,
  };
}
