import type { Bench } from './bench-table';
import { taskQueriesBench } from './task-queries';

/** Every benchmark `npm run bench` knows. Add yours here. */
export const benches: Bench[] = [taskQueriesBench];
