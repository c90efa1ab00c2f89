import { fireEvent, screen, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchResults } from '../../../../bff/schemas/views';
import { renderWithRouter } from '../../../testing/test-utils';
import { SearchBox } from './search-box';

const results: SearchResults = {
  snapshotAt: 0,
  query: 'web',
  tasks: [
    { kind: 'task', id: 'web.1', title: 'web', detail: 'RUNNING · marathon', frameworkId: 'fw-1' },
    { kind: 'task', id: 'webhook.2', title: 'webhook', detail: 'FINISHED · chronos', frameworkId: 'fw-2' },
  ],
  frameworks: [{ kind: 'framework', id: 'fw-1', title: 'webapps', detail: 'active', frameworkId: null }],
  agents: [],
  totals: { task: 7, framework: 1, agent: 0 },
  best: { task: 105, framework: 83, agent: 0 },
};

afterEach(() => vi.unstubAllGlobals());

/** Shows where the router is, to see where a chosen option leads. */
function Where() {
  const location = useLocation();
  return <output data-testid="landed">{`${location.pathname}${location.search}`}</output>;
}

function setup(answer: SearchResults = results) {
  const fetchMock = vi.fn(async (_url: string) => new Response(JSON.stringify(answer), { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
  renderWithRouter(
    <>
      <SearchBox />
      <Where />
    </>,
    { url: '/' },
  );
  return { fetchMock, input: screen.getByRole('combobox', { name: 'Find a task, framework or agent' }) };
}

describe('SearchBox', () => {
  it('asks the server and lists the results by kind, in an ARIA listbox', async () => {
    const { fetchMock, input } = setup();
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'web' } });
    const listbox = await screen.findByRole('listbox', { name: 'Search results' });
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe('/api/search?q=web&limit=5');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(within(listbox).getByRole('group', { name: /Tasks/ })).toBeTruthy();
    expect(within(listbox).getByRole('group', { name: /Frameworks/ })).toBeTruthy();
    expect(within(listbox).getByText(/top 2 of 7/)).toBeTruthy();
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      expect.stringContaining('web.1'),
      expect.stringContaining('webhook.2'),
      'All 7 matching tasks →',
      expect.stringContaining('webapps'),
    ]);
  });

  it('puts the kind with the best match first, and leads to all the matches of a kind', async () => {
    const { input } = setup({ ...results, best: { task: 80, framework: 103, agent: 0 } });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'web' } });
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('webapps'),
      expect.stringContaining('web.1'),
      expect.stringContaining('webhook.2'),
      'All 7 matching tasks →',
    ]);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByTestId('landed')).toHaveProperty('textContent', '/tasks?tasks.q=web');
  });

  it('moves the active option with the arrow keys and wraps around', async () => {
    const { input } = setup();
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'web' } });
    const options = await screen.findAllByRole('option');
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[1]?.id);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[3]?.id);
  });

  it('closes, clears and leaves the box on Escape, so the next key is a shortcut again', async () => {
    const { input } = setup();
    input.focus();
    fireEvent.change(input, { target: { value: 'web' } });
    await screen.findAllByRole('option');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe('');
    expect(document.activeElement).not.toBe(input);
  });
});
