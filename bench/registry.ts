import { agentViewersBench } from './agent-viewers';
import type { Bench } from './bench-table';
import { historyMemoryBench } from './history-memory';
import { loadBench } from './load';
import { logsBench } from './logs';
import { marathonBench } from './marathon';
import { marathonUiBench } from './marathon-ui';
import { scaleBench } from './scale';
import { signinBench } from './signin';
import { schedulerBench } from './scheduler';
import { taskQueriesBench } from './task-queries';
import { taskStoreBench } from './task-store';
import { wallSoakBench } from './wall-soak';

/** Every benchmark `npm run bench` knows. Add yours here. */
export const benches: Bench[] = [
  agentViewersBench,
  taskQueriesBench,
  loadBench,
  historyMemoryBench,
  wallSoakBench,
  logsBench,
  scaleBench,
  signinBench,
  schedulerBench,
  marathonBench,
  marathonUiBench,
  taskStoreBench,
];
