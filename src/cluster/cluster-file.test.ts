import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ClusterFileError,
  clusterFileOptions,
  parseAttributes,
  parseClusterFile,
  parsePortRanges,
  readClusterFile,
} from './cluster-file';

const EXAMPLES = join(import.meta.dirname, '../../cluster-files');

const TWO_RACKS = `name: workshop
masters: 1
agents:
  - hostname: a1.example
    attributes: rack:1;region:ger;disk:hdd
    resources: { cpus: 2, mem: 2048, gpus: 1, ports: "[31000-31100, 32000-32010]" }
    reservations:
      analytics: { cpus: 1, mem: 512 }
  - hostname: a2.example
    attributes: { rack: 2, region: ger }
roles:
  analytics:
    weight: 2
    quota: { guarantee: { cpus: 1 }, limit: { cpus: 4 } }
flags:
  max_completed_tasks_per_framework: 5
  max_completed_frameworks: 7
services: { chronos: false }
apps:
  - { id: /web, cmd: sleep 100 }
`;

function failure(text: string): ClusterFileError {
  try {
    parseClusterFile(text, 'c.yaml');
  } catch (error) {
    if (error instanceof ClusterFileError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('cluster file', () => {
  it('maps agents, roles, flags and services to the cluster options', () => {
    const options = clusterFileOptions(parseClusterFile(TWO_RACKS, 'c.yaml'));
    expect(options.agents).toBe(2);
    expect(options.clusterName).toBe('workshop');
    expect(options.scenario).toBe('empty');
    expect(options.weights).toEqual({ analytics: 2 });
    expect(options.quotas).toEqual({ analytics: { guarantee: { cpus: 1 }, limit: { cpus: 4 } } });
    expect(options.maxCompletedTasksPerFramework).toBe(5);
    expect(options.maxCompletedFrameworks).toBe(7);
    expect([options.marathon, options.chronos, options.mesosDns]).toEqual([true, false, true]);
    expect(options.agentIdentity?.(0)).toEqual({
      hostname: 'a1.example',
      attributes: { rack: 1, region: 'ger', disk: 'hdd' },
      resources: {
        cpus: 2,
        mem: 2048,
        gpus: 1,
        ports: [
          [31000, 31100],
          [32000, 32010],
        ],
      },
      reservations: { analytics: { cpus: 1, mem: 512 } },
    });
    expect(options.agentIdentity?.(1)).toEqual({
      hostname: 'a2.example',
      attributes: { rack: 2, region: 'ger' },
    });
  });

  it('reads JSON as well, and a count of agents', () => {
    const options = clusterFileOptions(parseClusterFile('{"agents": 4, "masters": 3}', 'c.json'));
    expect(options.agents).toBe(4);
    expect(options.masters).toBe(3);
    expect(options.agentIdentity).toBeUndefined();
  });

  it('names an unknown field and its line', () => {
    const error = failure('agents:\n  - hostname: a\n    atributes: rack:1\n');
    expect(error.message).toBe("c.yaml:3: agents.0.atributes: unknown field 'atributes'");
  });

  it('refuses negative resources, naming the field and line', () => {
    const error = failure('agents:\n  - hostname: a\n  - resources:\n      cpus: -2\n');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^c\.yaml:4: agents\.1\.resources\.cpus: /);
  });

  it('refuses reservations that add up to more than the agent has', () => {
    const error = failure(
      'agents:\n  - resources: { cpus: 2 }\n    reservations:\n      a: { cpus: 1 }\n      b: { cpus: 1.5 }\n',
    );
    expect(error.message).toBe(
      "c.yaml:5: agents.0.reservations.b.cpus: reservations add up to 2.5 cpus, more than the agent's 2",
    );
    expect(failure('agents:\n  - reservations: { a: { mem: 9000 } }\n').message).toMatch(
      /agents\.0\.reservations\.a\.mem: .* more than the agent's 8192$/,
    );
  });

  it('refuses two masters, bad ports, bad attributes and bad syntax', () => {
    expect(failure('masters: 2\n').message).toMatch(/^c\.yaml:1: masters: /);
    expect(failure('agents:\n  - resources: { ports: "[32000-31000]" }\n').message).toMatch(
      /agents\.0\.resources\.ports: .*not a port range list/,
    );
    expect(failure('agents:\n  - attributes: "rack"\n').message).toMatch(/agents\.0\.attributes: /);
    expect(failure('agents: [1,\n').message).toMatch(/^c\.yaml:\d+: not valid YAML or JSON/);
  });

  it('parses Mesos port ranges and attributes', () => {
    expect(parsePortRanges('[31000-32000]')).toEqual([[31000, 32000]]);
    expect(parsePortRanges('[1-2,x]')).toBeNull();
    expect(parsePortRanges('[0-10]')).toBeNull();
    expect(parseAttributes('rack:1;zone:a')).toEqual({ rack: 1, zone: 'a' });
    expect(parseAttributes('rack')).toBeNull();
  });

  it('reads every cluster file in the repository', () => {
    const files = readdirSync(EXAMPLES).filter((name) => /\.(ya?ml|json)$/.test(name));
    expect(files).toContain('demo.yaml');
    for (const name of files) expect(() => readClusterFile(join(EXAMPLES, name))).not.toThrow();
  });

  it('describes in demo.yaml the cluster npm start runs without one', () => {
    const options = clusterFileOptions(readClusterFile(join(EXAMPLES, 'demo.yaml')));
    // What the server passes for the demo without a cluster file (defaults of --agents, --masters and
    // --max-completed-tasks-per-framework; Mesos's default of 50 completed frameworks).
    expect(options).toMatchObject({
      scenario: 'demo',
      agents: 3,
      masters: 1,
      marathon: true,
      chronos: true,
      mesosDns: true,
      maxCompletedTasksPerFramework: 1000,
      maxCompletedFrameworks: 50,
    });
    expect(options.agentIdentity).toBeUndefined();
    expect(options.clusterName).toBeUndefined();
    expect(options.zk).toBeUndefined();
  });
});
