import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutorTaskRow, ExecutorView } from '../../../../bff/schemas/detail-views';
import { renderWithRouter } from '../../../testing/test-utils';
import { ExecutorDetail } from './executor-detail';

const task = (id: string, patch: Partial<ExecutorTaskRow> = {}): ExecutorTaskRow => ({
  id,
  name: `name-${id}`,
  state: 'TASK_RUNNING',
  healthy: null,
  role: null,
  startTime: 1_700_000_000,
  finishTime: null,
  cpus: { allocated: 0.5, limit: 'unlimited' },
  mem: { allocated: 128, limit: null },
  gpus: 0,
  disk: 10,
  sandbox: `/sandbox/${id}`,
  ...patch,
});

const view = (patch: Partial<ExecutorView> = {}): ExecutorView => ({
  fetchedAt: 0,
  problem: null,
  agentId: 'agent-S0',
  agentHostname: 'host-a',
  cluster: null,
  masterHostname: null,
  frameworkId: 'fw-0001',
  frameworkName: 'marathon',
  executor: {
    id: 'exec-1',
    name: '',
    source: 'src',
    role: null,
    type: null,
    container: null,
    directory: '/sandbox',
    completed: false,
  },
  resources: {
    used: { cpus: 0.1, mem: 64, disk: null },
    allocated: { cpus: 1, gpus: 0, mem: 256, disk: 20 },
  },
  queuedTasks: [task('queued-1', { state: null, startTime: null, sandbox: '' })],
  tasks: [task('active-1')],
  completedTasks: [],
  ...patch,
});

function renderExecutor(executorView: ExecutorView) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(executorView), { status: 200 })),
  );
  renderWithRouter(<ExecutorDetail agentId="agent-S0" frameworkId="fw-0001" executorId="exec-1" />);
}

afterEach(() => vi.unstubAllGlobals());

describe('ExecutorDetail', () => {
  it('shows queued, active and completed tasks, each table under its own URL prefix', async () => {
    renderExecutor(view());
    const queued = await screen.findByTestId('queued');
    expect(within(queued).getByRole('heading', { name: /Queued Tasks/ })).toBeTruthy();
    expect(within(screen.getByTestId('tasks')).getByRole('heading', { name: /^Tasks/ })).toBeTruthy();
    expect(within(screen.getByTestId('completed')).getByText('No completed tasks.')).toBeTruthy();
  });

  it('links a started task to its page and its sandbox, but not a queued one', async () => {
    renderExecutor(view());
    const queued = await screen.findByTestId('queued');
    expect(within(queued).queryByRole('link', { name: 'queued-1' })).toBeNull();
    expect(within(queued).queryByRole('link', { name: 'Sandbox' })).toBeNull();
    const active = screen.getByTestId('tasks');
    expect(within(active).getByRole('link', { name: 'active-1' }).getAttribute('href')).toBe(
      '/tasks/fw-0001/active-1',
    );
    expect(within(active).getByRole('link', { name: 'Sandbox' }).getAttribute('href')).toContain(
      '/agents/agent-S0/browse',
    );
  });

  it('says when the executor has terminated', async () => {
    renderExecutor(view({ executor: { ...view().executor, completed: true } }));
    const notice = await screen.findByText('This executor has terminated.');
    expect(notice.getAttribute('role')).toBe('status');
  });
});
