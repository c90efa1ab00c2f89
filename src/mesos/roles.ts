import { z } from 'zod';
import { makeParser } from './parse';
import { NumberMapSchema, ResourcesObjectSchema } from './schema-utils';

/** Quota amounts are `{resource: number}`; a resource missing from `limit` is unlimited, not 0. */
const QuotaSchema = z.looseObject({
  role: z.string().optional(),
  guarantee: NumberMapSchema.optional(),
  limit: NumberMapSchema.optional(),
  consumed: NumberMapSchema.optional(),
});
export type Quota = z.output<typeof QuotaSchema>;

export const RoleSchema = z.looseObject({
  name: z.string(),
  weight: z.number().default(1),
  /** allocated + offered (the only amount before Mesos 1.x; deprecated later). */
  resources: ResourcesObjectSchema.optional(),
  allocated: ResourcesObjectSchema.optional(),
  offered: ResourcesObjectSchema.optional(),
  reserved: ResourcesObjectSchema.optional(),
  quota: QuotaSchema.optional(),
  frameworks: z.array(z.string()).default([]),
});
export type Role = z.output<typeof RoleSchema>;

/** `GET /master/roles`. */
const RolesResponseSchema = z.looseObject({ roles: z.array(RoleSchema).default([]) });
export type RolesResponse = z.output<typeof RolesResponseSchema>;

/** Parses `GET /master/roles`; throws `MesosParseError`. */
export const parseRoles = makeParser(RolesResponseSchema, 'roles');

/** One quota amount per resource; null where the quota names no amount (an unset limit is unlimited). */
export interface QuotaAmounts {
  cpus: number | null;
  gpus: number | null;
  mem: number | null;
  disk: number | null;
}

/** Picks cpus/gpus/mem/disk out of a `{resource: number}` map, null where absent. */
export function quotaAmounts(amounts: Readonly<Record<string, number>> | undefined): QuotaAmounts {
  const pick = (key: string) => amounts?.[key] ?? null;
  return { cpus: pick('cpus'), gpus: pick('gpus'), mem: pick('mem'), disk: pick('disk') };
}
