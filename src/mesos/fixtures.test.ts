import { describe, expect, it } from 'vitest';
import { parseAgentState } from './agent-state';
import { parseBrowseResponse, parseReadResponse } from './files';
import { parseMaintenanceSchedule } from './maintenance';
import { parseMasterSlaves, parseMasterState, parseTask } from './master-state';
import { parseMetricsSnapshot } from './metrics';
import { parseMonitorStatistics } from './monitor';
import { parseRoles } from './roles';
import { parseStateSummary } from './state-summary';
import { FIXTURE_NAMES, fixture, type Raw } from './test-fixtures';

/** v1 operator API JSON (protobuf-shaped resources, `{value}` ids): not for the v0 parsers. */
const OUT_OF_SCOPE_PREFIXES = ['v1-operator/', 'mesos-docs/operator-api/'];

type Check = (raw: Raw) => void;

/** Every key of a raw object survives parsing (unknown fields are kept). */
function expectKeysKept(raw: Raw, parsed: object): void {
  for (const key of Object.keys(raw as object)) expect(parsed).toHaveProperty([key]);
}

const checks = {
  masterState: (raw) => {
    const state = parseMasterState(raw);
    expectKeysKept(raw, state);
    expect(state.slaves).toHaveLength(raw.slaves?.length ?? 0);
    expect(state.frameworks).toHaveLength(raw.frameworks?.length ?? 0);
    state.frameworks.forEach((framework, i) => {
      expectKeysKept(raw.frameworks[i], framework);
      expect(framework.tasks).toHaveLength(raw.frameworks[i].tasks?.length ?? 0);
      expect(framework.completed_tasks).toHaveLength(raw.frameworks[i].completed_tasks?.length ?? 0);
    });
  },
  masterSlaves: (raw) => {
    const slaves = parseMasterSlaves(raw);
    expect(slaves.slaves.map((a) => a.id)).toEqual(raw.slaves.map((a: Raw) => a.id));
  },
  taskArray: (raw) => {
    expect(Array.isArray(raw)).toBe(true);
    for (const task of raw) expect(parseTask(task).id).toBe(task.id);
  },
  stateSummary: (raw) => {
    const summary = parseStateSummary(raw);
    expectKeysKept(raw, summary);
    expect(summary.slaves).toHaveLength(raw.slaves?.length ?? 0);
    expect(summary.frameworks).toHaveLength(raw.frameworks?.length ?? 0);
  },
  stateSummaryHistory: (raw) => {
    expect(Array.isArray(raw)).toBe(true);
    expect(raw.length).toBeGreaterThan(0);
    for (const snapshot of raw) expect(parseStateSummary(snapshot).hostname).toBe(snapshot.hostname);
  },
  metrics: (raw) => {
    const metrics = parseMetricsSnapshot(raw);
    const numeric = Object.entries(raw as object).filter(([, v]) => typeof v === 'number');
    expect(Object.keys(metrics)).toHaveLength(numeric.length);
    expect(numeric.length).toBeGreaterThan(0);
  },
  agentState: (raw) => {
    const state = parseAgentState(raw);
    expectKeysKept(raw, state);
    expect(state.frameworks).toHaveLength(raw.frameworks?.length ?? 0);
    expect(state.completed_frameworks).toHaveLength(raw.completed_frameworks?.length ?? 0);
  },
  filesBrowse: (raw) => {
    expect(parseBrowseResponse(raw).map((f) => f.path)).toEqual(raw.map((f: Raw) => f.path));
  },
  filesBrowseTree: (raw) => {
    const entries = Object.entries(raw as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(0);
    for (const [, reply] of entries) parseBrowseResponse(reply);
  },
  filesRead: (raw) => {
    expect(parseReadResponse(raw)).toMatchObject({ offset: raw.offset, data: raw.data });
  },
  filesReadList: (raw) => {
    expect(Array.isArray(raw)).toBe(true);
    for (const reply of raw) expect(parseReadResponse(reply).data).toBe(reply.data);
  },
  monitor: (raw) => {
    expect(parseMonitorStatistics(raw)).toHaveLength(raw.length);
  },
  roles: (raw) => {
    expect(parseRoles(raw).roles.map((r) => r.name)).toEqual(raw.roles.map((r: Raw) => r.name));
  },
  maintenance: (raw) => {
    expect(parseMaintenanceSchedule(raw).windows).toHaveLength(raw.windows?.length ?? 0);
  },
} satisfies Record<string, Check>;

type Kind = keyof typeof checks;

/** Relative file name → parser. Each in-scope fixture must match exactly one rule. */
const TABLE: ReadonlyArray<readonly [RegExp, Kind]> = [
  [/(^|\/)master-state\.json$/, 'masterState'],
  [/^v0\.27\.1-capgemini\/master-slaves\.json$/, 'masterSlaves'],
  [/^v0\.27\.1-capgemini\/tasks-stub\.json$/, 'taskArray'],
  [/^summaries\/state-summary-[\w-]+\.json$/, 'stateSummary'],
  [/^summaries\/history-30-snapshots-1-agent\.json$/, 'stateSummaryHistory'],
  [/(^|\/)([\w-]+-)?metrics-snapshot\.json$/, 'metrics'],
  [/(^|\/)agent-state(\.repaired)?\.json$/, 'agentState'],
  [/(^|\/)files-browse\.json$/, 'filesBrowse'],
  [/(^|\/)files-browse-tree\.json$/, 'filesBrowseTree'],
  [/^v0\.27-dcos-agent\/files-read\.json$/, 'filesRead'],
  [/^mesos-docs\/tests\/files-read[\w.]*\.expected\.json$/, 'filesRead'],
  [/^v0\.27\.1-capgemini\/files-read-master-log\.json$/, 'filesReadList'],
  [/(^|\/)agent-monitor-statistics\.json$/, 'monitor'],
  [/(^|\/)master-roles(\.quota-md)?\.json$/, 'roles'],
  [/^mesos-docs\/docs\/master-[\w-]+\.maintenance-md\.json$/, 'maintenance'],
];

const inScope = FIXTURE_NAMES.filter((name) => !OUT_OF_SCOPE_PREFIXES.some((p) => name.startsWith(p)));

function kindOf(name: string): Kind[] {
  return TABLE.filter(([pattern]) => pattern.test(name)).map(([, kind]) => kind);
}

describe('fixture table', () => {
  it('finds the fixtures', () => {
    expect(FIXTURE_NAMES.length).toBeGreaterThan(100);
    expect(inScope.length).toBeGreaterThan(20);
  });

  it('maps every in-scope .json fixture to exactly one parser', () => {
    const unmapped = inScope.filter((name) => kindOf(name).length !== 1);
    expect(unmapped).toEqual([]);
  });

  it('has no rule that matches nothing', () => {
    const unused = TABLE.filter(([pattern]) => !inScope.some((name) => pattern.test(name)));
    expect(unused).toEqual([]);
  });

  it('leaves only v1 operator API files out of scope', () => {
    const skipped = FIXTURE_NAMES.filter((name) => !inScope.includes(name));
    expect(skipped.length).toBeGreaterThan(0);
    for (const name of skipped) expect(OUT_OF_SCOPE_PREFIXES.some((p) => name.startsWith(p))).toBe(true);
  });
});

describe.each(inScope.map((name) => [name] as const))('%s', (name) => {
  it('parses with its v0 parser', () => {
    const [kind] = kindOf(name);
    expect(kind).toBeDefined();
    if (kind) checks[kind](fixture(name));
  });
});
