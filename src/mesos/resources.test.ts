import { describe, expect, it } from 'vitest';
import { parseMasterState } from './master-state';
import {
  ZERO_RESOURCES,
  accumulateResources,
  addResources,
  clampResources,
  clusterResources,
  formatBytes,
  formatResource,
  maxShare,
  roundResources,
  roundScalar,
  subtractResources,
  sumScalar,
  sumResources,
  toResources,
  type Resources,
} from './resources';
import { fixture, rawFixture, type Raw } from './test-fixtures';

const KINDS = ['cpus', 'gpus', 'mem', 'disk'] as const;

/** Σ over raw resource objects, straight from JSON. */
function rawSum(objects: Raw[]): Resources {
  const out = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  for (const kind of KINDS) out[kind] = objects.reduce((sum, o) => sum + (o?.[kind] ?? 0), 0);
  return out;
}

function expectClose(actual: Resources, expected: Resources): void {
  for (const kind of KINDS) expect(actual[kind]).toBeCloseTo(expected[kind], 6);
}

/** A 1.x master state: the documented example plus agents from a 1.x state-summary. */
function masterState1x(): Raw {
  const state = structuredClone(rawFixture('mesos-docs/endpoint-help/master-state.json'));
  state.slaves = rawFixture('summaries/state-summary-healthy-tasks-in-mesos-and-marathon.json').slaves;
  return state;
}

const STATES: Array<[string, () => Raw]> = [
  ['0.19', () => rawFixture('v0.19-mesos-cli/master-state.json')],
  ['0.22', () => rawFixture('v0.22.0-datadog/master-state.json')],
  ['0.27.1', () => rawFixture('v0.27.1-capgemini/master-state.json')],
  ['1.x doc example', () => rawFixture('mesos-docs/endpoint-help/master-state.json')],
  ['1.x doc example + 1.x agents', masterState1x],
];

describe('clusterResources', () => {
  it.each(STATES)('%s: total, offered, allocated and idle add up from the raw JSON', (_, load) => {
    const raw = load();
    const result = clusterResources(parseMasterState(raw));
    const frameworks: Raw[] = raw.frameworks ?? [];

    const total = rawSum((raw.slaves ?? []).map((s: Raw) => s.resources));
    const offered = rawSum(frameworks.flatMap((f) => (f.offers ?? []).map((o: Raw) => o.resources)));
    // Framework `resources` is used + offered; every one of these frameworks has it or used_resources.
    const held = rawSum(frameworks.map((f) => f.resources ?? f.used_resources));
    const allocated = subtractResources(held, offered);

    expectClose(result.total, total);
    expectClose(result.offered, offered);
    expectClose(result.allocated, allocated);
    for (const kind of KINDS) {
      expect(result.idle[kind]).toBeCloseTo(total[kind] - result.offered[kind] - result.allocated[kind], 6);
    }
  });

  it('0.27.1: allocated agrees with the agents’ own used_resources', () => {
    const raw = rawFixture('v0.27.1-capgemini/master-state.json');
    const result = clusterResources(parseMasterState(raw));
    const usedOnAgents = rawSum(raw.slaves.map((s: Raw) => s.used_resources));
    expectClose(result.allocated, usedOnAgents);
    expect(result.total.cpus).toBeGreaterThan(0);
  });

  it('1.x agents contribute gpus', () => {
    const raw = masterState1x();
    const gpus = raw.slaves.reduce((sum: number, s: Raw) => sum + (s.resources.gpus ?? 0), 0);
    expect(clusterResources(parseMasterState(raw)).total.gpus).toBe(gpus);
  });

  const base = { version: '1.12.0', id: 'm', pid: 'master@10.0.0.1:5050', hostname: 'm' };
  const agent = (id: string, cpus: number, mem: number) => ({ id, hostname: id, resources: { cpus, mem } });

  it('subtracts outstanding offers from what frameworks hold', () => {
    const state = parseMasterState({
      ...base,
      slaves: [agent('a1', 8, 4096), agent('a2', 4, 2048)],
      frameworks: [
        {
          id: 'f1',
          name: 'f1',
          resources: { cpus: 5, mem: 1500 },
          offers: [{ id: 'o1', framework_id: 'f1', slave_id: 'a1', resources: { cpus: 2, mem: 1000 } }],
        },
      ],
    });
    expect(clusterResources(state)).toEqual({
      total: { cpus: 12, gpus: 0, mem: 6144, disk: 0 },
      offered: { cpus: 2, gpus: 0, mem: 1000, disk: 0 },
      allocated: { cpus: 3, gpus: 0, mem: 500, disk: 0 },
      idle: { cpus: 7, gpus: 0, mem: 4644, disk: 0 },
    });
  });

  it('falls back to used + offered resources, and to offered_resources without offers', () => {
    const state = parseMasterState({
      ...base,
      slaves: [agent('a1', 10, 1000)],
      frameworks: [
        {
          id: 'f1',
          name: 'old',
          used_resources: { cpus: 3, mem: 100 },
          offered_resources: { cpus: 1, mem: 50 },
        },
      ],
    });
    const result = clusterResources(state);
    expect(result.offered).toEqual({ cpus: 1, gpus: 0, mem: 50, disk: 0 });
    expect(result.allocated).toEqual({ cpus: 3, gpus: 0, mem: 100, disk: 0 });
    expect(result.idle).toEqual({ cpus: 6, gpus: 0, mem: 850, disk: 0 });
  });
});

describe('resource arithmetic', () => {
  const a = { cpus: 1.5, gpus: 1, mem: 100, disk: 10 };
  const b = { cpus: 0.5, gpus: 0, mem: 28, disk: 5 };

  it('adds, subtracts and sums without mutating', () => {
    expect(addResources(a, b)).toEqual({ cpus: 2, gpus: 1, mem: 128, disk: 15 });
    expect(subtractResources(a, b)).toEqual({ cpus: 1, gpus: 1, mem: 72, disk: 5 });
    expect(sumResources([a, b, a])).toEqual({ cpus: 3.5, gpus: 2, mem: 228, disk: 25 });
    expect(sumResources([])).toEqual(ZERO_RESOURCES);
    expect(a).toEqual({ cpus: 1.5, gpus: 1, mem: 100, disk: 10 });
  });

  it('toResources tolerates junk', () => {
    expect(toResources(undefined)).toEqual(ZERO_RESOURCES);
    expect(toResources('x')).toEqual(ZERO_RESOURCES);
    expect(toResources({ cpus: '2', mem: 64, ports: '[1-2]', disk: NaN })).toEqual({
      cpus: 0,
      gpus: 0,
      mem: 64,
      disk: 0,
    });
    expect(toResources(fixture('v0.19-mesos-cli/master-state.json'))).toEqual(ZERO_RESOURCES);
  });

  it('maxShare is the dominant share', () => {
    const total = { cpus: 10, gpus: 0, mem: 1000, disk: 100 };
    expect(maxShare({ cpus: 2, gpus: 3, mem: 500, disk: 10 }, total)).toBe(0.5);
    expect(maxShare({ cpus: 9, gpus: 0, mem: 0, disk: 0 }, total)).toBe(0.9);
    expect(maxShare(ZERO_RESOURCES, ZERO_RESOURCES)).toBe(0);
    expect(maxShare({ cpus: 20, gpus: 0, mem: 0, disk: 0 }, total)).toBe(1);
  });
});

describe('formatResource', () => {
  it.each([
    ['cpus', 0, '0'],
    ['cpus', 2.2, '2.2'],
    ['cpus', 6.60000000000001, '6.6'],
    ['cpus', 0.123456, '0.12'],
    ['cpus', 0.6015, '0.6'],
    ['cpus', 0.001, '<0.01'],
    ['cpus', 1250.5, '1,250.5'],
    ['cpus', 3.5527136788005e-15, '0'],
    ['cpus', -3.5527136788005e-15, '0'],
    ['gpus', 1, '1'],
    ['mem', 0, '0 B'],
    ['mem', 832, '832 MB'],
    ['mem', 31156, '30.4 GB'],
    ['mem', 0.5, '512 KB'],
    ['disk', 1024, '1.0 GB'],
    ['disk', 1024 * 1024 * 1.5, '1.5 TB'],
    ['disk', 1024 * 1024 * 1024 * 2, '2.0 PB'],
  ] as const)('%s %d → %s', (kind, value, expected) => {
    expect(formatResource(kind, value)).toBe(expected);
  });

  it('formats bytes like dataSize', () => {
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(22967081)).toBe('22 MB');
  });
});

describe('resource arithmetic', () => {
  it('rounds scalars to three decimals like Mesos, without float noise or -0', () => {
    expect(roundScalar(0.1 + 0.2)).toBe(0.3);
    expect(roundScalar(1.23456)).toBe(1.235);
    expect(Object.is(roundScalar(-1e-15), 0)).toBe(true);
    expect(roundResources({ cpus: 0.1 + 0.2, gpus: 0, mem: 128.00049, disk: 2.0005 })).toEqual({
      cpus: 0.3,
      gpus: 0,
      mem: 128,
      disk: 2.001,
    });
  });

  it('clamps each resource at zero and keeps other fields', () => {
    expect(clampResources({ cpus: -1e-15, gpus: 1, mem: -5, disk: 3, ports: [[1, 2]] })).toEqual({
      cpus: 0,
      gpus: 1,
      mem: 0,
      disk: 3,
      ports: [[1, 2]],
    });
  });

  it('accumulates in place and returns to zero after taking away what it added', () => {
    const total = { ...ZERO_RESOURCES };
    const parts = [0.1, 0.2, 0.7].map((cpus) => ({ cpus, gpus: 0, mem: cpus * 100, disk: 1 }));
    for (const part of parts) accumulateResources(total, part);
    expect(total).toEqual({ cpus: 1, gpus: 0, mem: 100, disk: 3 });
    for (const part of parts) accumulateResources(total, part, -1);
    expect(total).toEqual(ZERO_RESOURCES);
  });

  it('sums the scalar entries of a Resource[] by name, ignoring ranges, sets and junk', () => {
    const offer = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 }, role: '*' },
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: 'web' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 256 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
      { name: 'cpus', type: 'SET', set: { item: ['x'] } },
      null,
      'cpus',
    ];
    expect(sumScalar(offer, 'cpus')).toBe(1.6);
    expect(sumScalar(offer, 'mem')).toBe(256);
    expect(sumScalar(offer, 'ports')).toBe(0);
    expect(sumScalar(undefined, 'cpus')).toBe(0);
  });
});
