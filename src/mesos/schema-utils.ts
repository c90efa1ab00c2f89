import { z } from 'zod';

/**
 * A v0 "Resources object": `{cpus, gpus, mem, disk, ports: "[31000-32000]", ...}`.
 * The four scalars default to 0 (old versions have no `gpus`); other resources are kept as given.
 */
export const ResourcesObjectSchema = z.looseObject({
  cpus: z.number().default(0),
  gpus: z.number().default(0),
  mem: z.number().default(0),
  disk: z.number().default(0),
});
export type ResourcesObject = z.output<typeof ResourcesObjectSchema>;

/** A resources object field that is all zeros when absent. */
export const resourcesField = () => ResourcesObjectSchema.default({ cpus: 0, gpus: 0, mem: 0, disk: 0 });

/** `{name: number}` map; non-number values are dropped rather than rejected. */
export const NumberMapSchema = z
  .record(z.string(), z.unknown())
  .transform((record): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'number') out[key] = value;
    }
    return out;
  });

const LabelSchema = z.looseObject({ key: z.string(), value: z.string().optional() });
export type Label = z.output<typeof LabelSchema>;

/**
 * Labels as a plain array. Task labels are written as `[{key, value}]`, but protobuf `Labels`
 * messages render as `{labels: [...]}` in some writers, so both forms are accepted.
 */
export const LabelsSchema = z.union([
  z.array(LabelSchema),
  z.looseObject({ labels: z.array(LabelSchema).default([]) }).transform((wrapped) => wrapped.labels),
]);

/** Any JSON object, kept verbatim (container, discovery, health_check ...). */
export const AnyObjectSchema = z.looseObject({});

/** `{nanoseconds}` as written for protobuf TimeInfo/DurationInfo. */
export const NanosSchema = z.looseObject({ nanoseconds: z.number() });

/** Agent attributes: scalars are numbers, ranges and sets are strings. */
export const AttributesSchema = z.record(z.string(), z.union([z.number(), z.string()]));
