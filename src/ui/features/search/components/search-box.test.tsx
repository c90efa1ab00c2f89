import { fireEvent, screen, within } from '@testing-library/react';
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
};

afterEach(() => vi.unstubAllGlobals());

function setup() {
  const fetchMock = vi.fn(async (_url: string) => new Response(JSON.stringify(results), { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
  renderWithRouter(<SearchBox />, { url: '/' });
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
      expect.stringContaining('webapps'),
    ]);
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
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[2]?.id);
  });

  it('closes on Escape, and clears on a second Escape', async () => {
    const { input } = setup();
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'web' } });
    await screen.findAllByRole('option');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe('web');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect((input as HTMLInputElement).value).toBe('');
  });
});
