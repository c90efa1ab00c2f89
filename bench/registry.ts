import type { Bench } from './bench-table';

/** Every benchmark `npm run bench` knows. Add yours here. */
export const benches: Bench[] = [];
