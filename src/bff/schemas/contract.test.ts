/**
 * The views as the BFF really sends them, checked against the contract in this folder: each shape below must
 * be exactly its interface (checked when the project typechecks), and the live answers must parse with no
 * field missing, mistyped or extra. The sort ids the SPA sends are the ones the BFF accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Resources } from '../../mesos/resources';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';
import { FIXTURE_SETS, startFixtureCluster } from '../testing/fixture-cluster';
import type { FixtureCluster } from '../testing/fixture-cluster';
import { AGENT_SORT_KEYS, TASK_SORT_KEYS } from './sort-keys';
import type { AgentRow, AgentsPage, FacetValue, TaskPage, TaskRow } from './views';

/** True only when A and B are the same type: a shape that drifts from its interface fails the typecheck. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const ResourcesShape = z.strictObject({
  cpus: z.number(),
  gpus: z.number(),
  mem: z.number(),
  disk: z.number(),
});
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

const TaskRowShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  frameworkId: z.string(),
  frameworkName: nullable(z.string()),
  executorId: z.string(),
  agentId: z.string(),
  agentHostname: nullable(z.string()),
  role: nullable(z.string()),
  state: z.string(),
  healthy: nullable(z.boolean()),
  startTime: nullable(z.number()),
  finishTime: nullable(z.number()),
  resources: ResourcesShape,
  reason: nullable(z.string()),
  message: nullable(z.string()),
});

const TaskPageShape = z.strictObject({
  snapshotAt: z.number(),
  group: z.enum(['active', 'unreachable', 'completed', 'all']),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
  rows: z.array(TaskRowShape),
});

const FacetValueShape = z.strictObject({ value: z.string(), label: z.string(), count: z.number() });

const AgentRowShape = z.strictObject({
  id: z.string(),
  hostname: z.string(),
  port: nullable(z.number()),
  state: z.custom<AgentRow['state']>((value) => typeof value === 'string' && value.length > 0),
  departedTime: nullable(z.number()),
  allocated: ResourcesShape,
  total: ResourcesShape,
  registeredTime: nullable(z.number()),
  reregisteredTime: nullable(z.number()),
  version: nullable(z.string()),
});

const AgentsPageShape = z.strictObject({
  snapshotAt: z.number(),
  total: z.number(),
  unfiltered: z.number(),
  offset: z.number(),
  limit: z.number(),
  rows: z.array(AgentRowShape),
  states: z.array(FacetValueShape),
  gpus: z.boolean(),
});

const _shapesMatchTheContract: [
  Same<z.infer<typeof ResourcesShape>, Resources>,
  Same<z.infer<typeof TaskRowShape>, TaskRow>,
  Same<z.infer<typeof TaskPageShape>, TaskPage>,
  Same<z.infer<typeof FacetValueShape>, FacetValue>,
  Same<z.infer<typeof AgentRowShape>, AgentRow>,
  Same<z.infer<typeof AgentsPageShape>, AgentsPage>,
] = [true, true, true, true, true, true];

describe('the views against the contract', () => {
  const set = FIXTURE_SETS.find((candidate) => candidate.name === 'v0.27.1-capgemini') ?? FIXTURE_SETS[0]!;
  let cluster: FixtureCluster;
  let bff: TestBff;
  const get = async (url: string) => {
    const response = await bff.app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json<unknown>() };
  };

  beforeAll(async () => {
    cluster = await startFixtureCluster(set);
    bff = await buildTestBff([cluster.masterUrl]);
    await bff.poller.pollOnce();
  });
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it('answers every task sort id the SPA may send with a TaskPage, and refuses any other', async () => {
    let rows = 0;
    for (const sort of TASK_SORT_KEYS) {
      for (const order of ['asc', 'desc']) {
        const answer = await get(`/api/tasks?group=all&sort=${sort}&order=${order}&limit=500`);
        expect(answer.status, sort).toBe(200);
        rows += TaskPageShape.parse(answer.body).rows.length;
      }
    }
    expect(rows).toBeGreaterThan(0);
    expect((await get('/api/tasks?group=all&sort=bogus')).status).toBe(400);
  });

  it('answers every agent sort id with an AgentsPage ordered by that column', async () => {
    const byHost = AgentsPageShape.parse((await get('/api/agents?sort=host&order=asc&limit=500')).body);
    expect(byHost.rows.length).toBeGreaterThan(0);
    const hosts = byHost.rows.map((row) => row.hostname);
    expect(hosts).toEqual([...hosts].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    for (const sort of AGENT_SORT_KEYS) {
      const answer = await get(`/api/agents?sort=${sort}&order=desc&limit=500`);
      expect(answer.status, sort).toBe(200);
      expect(AgentsPageShape.parse(answer.body).total, sort).toBe(byHost.total);
    }
  });
});
