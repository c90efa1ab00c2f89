/** The built-in scenarios. */
export const SCENARIOS = [
  'demo',
  'empty',
  'parity',
  'hostile',
  'small',
  'large',
  'massive',
  'gigantic',
] as const;

/** Name of a built-in scenario. */
export type ScenarioName = (typeof SCENARIOS)[number];

import type { BasicCredentials } from './ha/http-auth';
import type { StandbyStyle } from './ha/standby-routes';

/** PEM material for HTTPS masters and agents. */
export interface ClusterTlsOptions {
  key: string;
  cert: string;
  /** CA bundle to check client certificates against (with `requireClientCert`). */
  ca?: string;
  /** Refuse clients that do not present a certificate signed by `ca`. */
  requireClientCert?: boolean;
}

/** Masters, election, authentication and TLS: how the local cluster looks to an operator's tools. */
export interface ClusterHaOptions {
  masters: number;
  zk: string | undefined;
  electionDelayMs: number;
  standbyStyle: StandbyStyle;
  authenticate: BasicCredentials | undefined;
  tls: ClusterTlsOptions | undefined;
}

/** Options after defaults are applied (see `LocalClusterOptions` in index.ts). */
export interface ResolvedOptions extends ClusterHaOptions {
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
  masters?: number;
  zk?: string;
  electionDelayMs?: number;
  standbyStyle?: StandbyStyle;
  authenticate?: BasicCredentials;
  tls?: ClusterTlsOptions;
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
  const masters = options.masters ?? 1;
  if (!Number.isInteger(masters) || masters < 1 || masters > 7) {
    throw new Error(`masters must be an integer between 1 and 7, got ${masters}`);
  }
  if (options.zk !== undefined && !/^zk:\/\//i.test(options.zk)) {
    throw new Error(`zk must be a zk://host:port/path URL`);
  }
  return {
    masters,
    zk: options.zk,
    electionDelayMs: options.electionDelayMs ?? 500,
    standbyStyle: options.standbyStyle ?? 'redirect',
    authenticate: options.authenticate,
    tls: options.tls,
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
