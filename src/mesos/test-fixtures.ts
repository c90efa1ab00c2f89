// Test-only helper: loads the Mesos JSON fixtures through the bundler, so tests stay free of I/O imports.

const PREFIX = '../../fixtures/mesos/';

const RAW = import.meta.glob('../../fixtures/mesos/**/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** Every fixture file name relative to fixtures/mesos/, e.g. `v0.19-mesos-cli/master-state.json`. */
export const FIXTURE_NAMES: readonly string[] = Object.keys(RAW)
  .map((key) => key.slice(PREFIX.length))
  .sort();

/** The parsed JSON of a fixture, by its name relative to fixtures/mesos/. */
export function fixture(name: string): unknown {
  const text = RAW[PREFIX + name];
  if (text === undefined) throw new Error(`No fixture named ${name}`);
  return JSON.parse(text) as unknown;
}

/** A fixture read as a loosely typed record, for computing expectations straight from raw JSON. */
export function rawFixture(name: string): Raw {
  return fixture(name) as Raw;
}

// Loose view of raw JSON for independent expectations in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Raw = any;

/** A fixture's text exactly as stored (some documentation examples are not strict JSON). */
export function fixtureText(name: string): string {
  const text = RAW[PREFIX + name];
  if (text === undefined) throw new Error(`No fixture named ${name}`);
  return text;
}
