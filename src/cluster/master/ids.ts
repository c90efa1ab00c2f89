/**
 * Identifiers for the local cluster. Master ids are random, so every start is its own cluster (its agents and
 * frameworks, named after the master, too, as in Mesos); everything else comes from a seeded sequence, so the
 * same seed always yields the same scenario.
 */
import { randomUUID } from 'node:crypto';

/** A fresh master id: a random UUID, as each Mesos master generates when it starts. */
export function newMasterId(): string {
  return randomUUID();
}

/** A seeded source of Mesos-looking identifiers. */
export interface IdSource {
  /** A random (seeded) RFC 4122 version-4 UUID. */
  uuid(): string;
  /** A seeded float in [0, 1). */
  random(): number;
}

/** Creates an {@link IdSource} from a numeric seed (mulberry32 PRNG). */
export function createIdSource(seed: number): IdSource {
  let state = seed >>> 0 || 0x9e3779b9;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  const uuid = (): string => {
    const variant = (8 + Math.floor(random() * 4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  };
  return { uuid, random };
}

/** Current wall-clock time in float seconds, the unit Mesos uses for `*_time` and timestamps. */
export function nowSecs(): number {
  return Date.now() / 1000;
}
