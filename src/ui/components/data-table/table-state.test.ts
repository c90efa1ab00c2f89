import { describe, expect, it } from 'vitest';
import { readTableState, toggleSort, writeTableState } from './table-state';

const defaults = { sort: 'start', order: 'desc' as const };

describe('table state in the URL', () => {
  it('reads defaults from an empty URL', () => {
    expect(readTableState(new URLSearchParams(), 'active', defaults)).toEqual({
      q: '',
      sort: 'start',
      order: 'desc',
      page: 0,
    });
  });

  it('reads a prefixed state, with 1-based pages in the URL', () => {
    const params = new URLSearchParams(
      'active.q=web&active.sort=name&active.order=asc&active.page=3&completed.q=x',
    );
    expect(readTableState(params, 'active', defaults)).toEqual({
      q: 'web',
      sort: 'name',
      order: 'asc',
      page: 2,
    });
    expect(readTableState(params, 'completed', defaults).q).toBe('x');
  });

  it('ignores garbage', () => {
    const params = new URLSearchParams('active.order=sideways&active.page=-4');
    expect(readTableState(params, 'active', defaults)).toMatchObject({ order: 'desc', page: 0 });
  });

  it('writes only what differs from the defaults and keeps other params', () => {
    const params = new URLSearchParams('path=/sandbox&completed.page=2');
    const next = writeTableState(params, 'active', { q: 'hello', page: 4 }, defaults);
    expect(next.get('active.q')).toBe('hello');
    expect(next.get('active.page')).toBe('5');
    expect(next.get('active.sort')).toBeNull();
    expect(next.get('path')).toBe('/sandbox');
    expect(next.get('completed.page')).toBe('2');
    expect(params.get('active.q')).toBeNull();
  });

  it('goes back to the first page when the filter or the sort changes', () => {
    const params = new URLSearchParams('active.page=3');
    expect(writeTableState(params, 'active', { q: 'x' }, defaults).get('active.page')).toBeNull();
    expect(writeTableState(params, 'active', { sort: 'name' }, defaults).get('active.page')).toBeNull();
    expect(writeTableState(params, 'active', { page: 1 }, defaults).get('active.page')).toBe('2');
  });

  it('removes an emptied filter', () => {
    const params = new URLSearchParams('active.q=x');
    expect(writeTableState(params, 'active', { q: '  ' }, defaults).has('active.q')).toBe(false);
  });

  it('flips the order on the same column and starts a new column at its first order', () => {
    const state = readTableState(new URLSearchParams(), 'active', defaults);
    expect(toggleSort(state, 'start')).toEqual({ sort: 'start', order: 'asc' });
    expect(toggleSort(state, 'name')).toEqual({ sort: 'name', order: 'asc' });
    expect(toggleSort(state, 'finish', 'desc')).toEqual({ sort: 'finish', order: 'desc' });
  });
});
