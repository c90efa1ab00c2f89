import { describe, expect, it } from 'vitest';
import type { MarathonTreeRow } from '../../../../bff/schemas/marathon';
import { visibleTree } from './apps-tree';

const instances = (running: number, wanted = running) => ({
  wanted,
  running,
  healthy: 0,
  unhealthy: 0,
  staged: 0,
});
const group = (id: string, parent: string, depth: number): MarathonTreeRow => ({
  kind: 'group',
  id,
  parent,
  depth,
  apps: 0,
  instances: instances(0),
  cpus: 0,
  mem: 0,
  statuses: {},
});
const app = (
  id: string,
  parent: string,
  depth: number,
  patch: Partial<MarathonTreeRow> = {},
): MarathonTreeRow =>
  ({
    kind: 'app',
    id,
    parent,
    depth,
    status: 'Running',
    instances: instances(1),
    cpus: 0.5,
    mem: 128,
    disk: 0,
    constraints: [],
    cmd: null,
    image: null,
    version: null,
    delaySeconds: null,
    lastFailure: null,
    ...patch,
  }) as MarathonTreeRow;

const ROWS: MarathonTreeRow[] = [
  group('/prod', '/', 0),
  group('/prod/db', '/prod', 1),
  app('/prod/db/pg', '/prod/db', 2, { status: 'Waiting', instances: instances(0, 3) }),
  app('/prod/api', '/prod', 1, { cmd: 'serve --api', instances: instances(4) }),
  app('/prod/web', '/prod', 1, { instances: instances(9) }),
  app('/batch', '/', 0, { status: 'Suspended', instances: instances(0, 0) }),
];

const ids = (rows: MarathonTreeRow[]) => rows.map((row) => row.id);

describe('visibleTree', () => {
  it('keeps tree order, groups before apps, siblings sorted by the column', () => {
    expect(ids(visibleTree(ROWS, { q: '', status: null, sort: 'id', order: 'asc' }))).toEqual([
      '/prod',
      '/prod/db',
      '/prod/db/pg',
      '/prod/api',
      '/prod/web',
      '/batch',
    ]);
    expect(ids(visibleTree(ROWS, { q: '', status: null, sort: 'running', order: 'desc' }))).toEqual([
      '/prod',
      '/prod/db',
      '/prod/db/pg',
      '/prod/web',
      '/prod/api',
      '/batch',
    ]);
  });

  it('shows the matching apps with the groups above them, by status or by text in the id or command', () => {
    expect(ids(visibleTree(ROWS, { q: '', status: 'Waiting', sort: 'id', order: 'asc' }))).toEqual([
      '/prod',
      '/prod/db',
      '/prod/db/pg',
    ]);
    expect(ids(visibleTree(ROWS, { q: 'API', status: null, sort: 'id', order: 'asc' }))).toEqual([
      '/prod',
      '/prod/api',
    ]);
    expect(ids(visibleTree(ROWS, { q: 'nothing', status: null, sort: 'id', order: 'asc' }))).toEqual([]);
  });
});
