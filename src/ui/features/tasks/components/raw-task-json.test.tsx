import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskJsonView } from '../../../../bff/schemas/views';
import { renderWithRouter } from '../../../testing/test-utils';
import { RawTaskJson } from './raw-task-json';

const compact = { id: 'web.1', framework_id: 'fw-1', state: 'TASK_RUNNING' };

function answer(response: () => Response) {
  const fetch = vi.fn(async () => response());
  vi.stubGlobal('fetch', fetch);
  renderWithRouter(<RawTaskJson frameworkId="fw-1" taskId="web.1" compact={compact} />);
  return fetch;
}

const open = () => fireEvent.click(screen.getByText('The task as JSON'));
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

afterEach(() => vi.unstubAllGlobals());

describe('the task page’s JSON section', () => {
  it('asks for nothing until it is opened, then once, and shows the master’s JSON', async () => {
    const full: TaskJsonView = {
      source: 'master',
      task: { ...compact, statuses: [{ state: 'TASK_RUNNING', uuid: 'c3RhdHVz' }] },
      problem: null,
    };
    const fetch = answer(() => json(full));
    expect(fetch).not.toHaveBeenCalled();
    open();
    expect(await screen.findByText('As the leading master reports it.')).toBeTruthy();
    expect(screen.getByText(/"uuid": "c3RhdHVz"/)).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain('/api/tasks/fw-1/web.1/json');
  });

  it('says where the JSON came from when it is not the master’s, and why', async () => {
    answer(() =>
      json({
        source: 'history',
        task: { ...compact, state: 'TASK_FINISHED' },
        problem: 'the leading master did not list this task',
      }),
    );
    open();
    expect(
      await screen.findByText(
        /As the task history recorded it\. Not the master's: the leading master did not list this task\./,
      ),
    ).toBeTruthy();
    expect(screen.getByText(/TASK_FINISHED/)).toBeTruthy();
  });

  it('shows the part mesoscope keeps, saying so, when the request fails', async () => {
    answer(() =>
      json({ error: 'Service Unavailable', message: 'No data from the cluster yet', statusCode: 503 }, 503),
    );
    open();
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toMatch(/^Could not read the task's JSON/),
    );
    expect(screen.getByRole('status').textContent).toContain('showing the part mesoscope keeps of it');
    expect(screen.getByText(/"state": "TASK_RUNNING"/)).toBeTruthy();
  });
});
