/**
 * The seeded scale scenarios: simulated agents (served mesos-local style from one HTTP server) and simulated
 * tasks (no process each), with the real HTTP API and JSON and continuous task churn.
 */

export interface ScaleSpec {
  agents: number;
  frameworks: number;
  /** Non-terminal tasks kept running across the cluster. */
  activeTasks: number;
  /** Torn-down frameworks kept in `completed_frameworks` (Mesos's `--max_completed_frameworks`). */
  completedFrameworks: number;
  /** Mesos's `--max_completed_tasks_per_framework`. */
  maxCompletedTasksPerFramework: number;
  /** Tasks that end (finish, fail, get killed or lost) and are replaced, every second. */
  churnPerSecond: number;
  /** Hours of churn the seeded history stands for (completed tasks, capped per framework). */
  historyHours: number;
  /** Agents each allocation pass sweeps besides those where resources were freed (see the allocator). */
  offers: number;
}

export const SCALE_SPECS = {
  small: {
    agents: 100,
    frameworks: 20,
    activeTasks: 1_000,
    completedFrameworks: 5,
    maxCompletedTasksPerFramework: 1_000,
    churnPerSecond: 2,
    historyHours: 1,
    offers: 5,
  },
  large: {
    agents: 1_000,
    frameworks: 200,
    activeTasks: 10_000,
    completedFrameworks: 20,
    maxCompletedTasksPerFramework: 1_000,
    churnPerSecond: 5,
    historyHours: 2,
    offers: 20,
  },
  // 100,000 tasks living ~3 h on average end at ~10 per second; the seeded history is 3 h of that churn.
  massive: {
    agents: 10_000,
    frameworks: 1_000,
    activeTasks: 100_000,
    completedFrameworks: 50,
    maxCompletedTasksPerFramework: 1_000,
    churnPerSecond: 10,
    historyHours: 3,
    offers: 50,
  },
} as const satisfies Record<string, ScaleSpec>;

export type ScaleScenarioName = keyof typeof SCALE_SPECS;

export const SCALE_SCENARIOS = Object.keys(SCALE_SPECS) as ScaleScenarioName[];

export function isScaleScenario(name: string): name is ScaleScenarioName {
  return Object.hasOwn(SCALE_SPECS, name);
}
