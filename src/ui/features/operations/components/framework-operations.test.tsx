import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusView } from '../../../../bff/schemas/views';
import { renderWithRouter } from '../../../testing/test-utils';
import { AgentOperations } from './agent-operations';
import { FrameworkOperations } from './framework-operations';

type Operations = NonNullable<StatusView['operations']>;

/** The server: /api/status says what operations allows; an operation answers `answer`. */
function mockServer(operations: Operations, answer: { status: number; body: unknown }) {
  const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
    if (url === '/api/status') return new Response(JSON.stringify({ operations }), { status: 200 });
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
const operationCalls = (fetchMock: ReturnType<typeof mockServer>) =>
  fetchMock.mock.calls.filter(([url]) => url.startsWith('/api/operations/'));

afterEach(() => vi.unstubAllGlobals());

const framework = (
  <FrameworkOperations frameworkId="fw-0001" name="marathon" activeTasks={4} terminated={false} />
);

describe('FrameworkOperations', () => {
  it('asks before tearing down, naming the framework and its tasks, and sends only once confirmed', async () => {
    const fetchMock = mockServer(
      { enabled: true, user: 'alice', mayOperate: true },
      {
        status: 200,
        body: {
          action: 'teardown-framework',
          target: 'framework fw-0001',
          message: 'TEARDOWN accepted (HTTP 200)',
        },
      },
    );
    renderWithRouter(framework);
    fireEvent.click(await screen.findByRole('button', { name: 'Tear down' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Tear down framework marathon (id fw-0001)?');
    expect(dialog.textContent).toContain('Its 4 tasks will be killed');
    expect(operationCalls(fetchMock)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Tear down framework' }));
    await screen.findByText('TEARDOWN accepted (HTTP 200)');
    const [[url, init]] = operationCalls(fetchMock) as [[string, RequestInit]];
    expect(url).toBe('/api/operations/teardown-framework');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-Mesoscope-Operation']).toBe('1');
    expect(JSON.parse(String(init.body))).toEqual({ frameworkId: 'fw-0001' });
  });

  it('keeps the answer on screen when the framework ends and its button goes', async () => {
    mockServer(
      { enabled: true, user: 'alice', mayOperate: true },
      { status: 200, body: { message: 'TEARDOWN accepted (HTTP 200)' } },
    );
    function FrameworkThatEnds() {
      const [ended, setEnded] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setEnded(true)}>
            next poll
          </button>
          <FrameworkOperations frameworkId="fw-0001" name="marathon" activeTasks={4} terminated={ended} />
        </>
      );
    }
    renderWithRouter(<FrameworkThatEnds />);
    fireEvent.click(await screen.findByRole('button', { name: 'Tear down' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tear down framework' }));
    await screen.findByText('TEARDOWN accepted (HTTP 200)');
    fireEvent.click(screen.getByRole('button', { name: 'next poll' }));
    expect(screen.queryByRole('button', { name: 'Tear down' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('TEARDOWN accepted (HTTP 200)');
  });

  it("shows the master's refusal in the dialog", async () => {
    mockServer(
      { enabled: true, user: 'alice', mayOperate: true },
      {
        status: 502,
        body: {
          error: 'Bad Gateway',
          statusCode: 502,
          message: 'The master refused teardown-framework: HTTP 400: No framework found with specified ID',
        },
      },
    );
    renderWithRouter(framework);
    fireEvent.click(await screen.findByRole('button', { name: 'Tear down' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tear down framework' }));
    expect((await screen.findByRole('alert')).textContent).toContain('No framework found with specified ID');
  });

  it('shows nothing when operations are off or the user may not operate', async () => {
    for (const operations of [
      { enabled: false, user: 'alice', mayOperate: false },
      { enabled: true, user: 'bob', mayOperate: false },
    ]) {
      const fetchMock = mockServer(operations, { status: 500, body: {} });
      const { unmount } = renderWithRouter(framework);
      await waitFor(() => expect(fetchMock).toHaveBeenCalled());
      // Let the status answer reach the component before looking for the button it would add.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(screen.queryByRole('button', { name: 'Tear down' })).toBeNull();
      unmount();
      vi.unstubAllGlobals();
    }
  });
});

describe('AgentOperations', () => {
  it('offers Drain and Deactivate for an active agent and Reactivate for a deactivated one', async () => {
    mockServer({ enabled: true, user: 'alice', mayOperate: true }, { status: 200, body: {} });
    const { unmount } = renderWithRouter(
      <AgentOperations agentId="S0" hostname="host-a" state="Active" activeTasks={2} />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Drain' }));
    expect(screen.getByRole('dialog').textContent).toContain('Drain agent host-a (id S0)?');
    expect(screen.getByRole('dialog').textContent).toContain('Its 2 tasks will be killed');
    expect(screen.getByRole('button', { name: 'Deactivate' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Reactivate' })).toBeNull();
    unmount();
    renderWithRouter(<AgentOperations agentId="S0" hostname="host-a" state="Deactivated" activeTasks={2} />);
    expect(await screen.findByRole('button', { name: 'Reactivate' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Drain' })).toBeNull();
  });
});
