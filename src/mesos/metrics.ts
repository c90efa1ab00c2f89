import type { z } from 'zod';
import { makeParser } from './parse';
import { NumberMapSchema } from './schema-utils';

/** `GET /metrics/snapshot`: a flat `{key: number}` map. Non-number values are dropped. */
const MetricsSnapshotSchema = NumberMapSchema;
export type MetricsSnapshot = z.output<typeof MetricsSnapshotSchema>;

/** Parses `GET /metrics/snapshot`; throws `MesosParseError`. */
export const parseMetricsSnapshot = makeParser(MetricsSnapshotSchema, 'metrics snapshot');
