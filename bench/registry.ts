import type { Bench } from './bench-table';
import { loadBench } from './load';
import { taskQueriesBench } from './task-queries';

/** Every benchmark `npm run bench` knows. Add yours here. */
export const benches: Bench[] = [taskQueriesBench, loadBench];
