import { createColumnHelper } from '@tanstack/react-table';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { renderWithRouter } from '../../testing/test-utils';
import { DataTable } from './data-table';
import type { DataTableProps } from './data-table';
import { useTableUrlState } from './use-table-url-state';

interface Row {
  id: string;
  name: string;
  cpus: number;
}

const column = createColumnHelper<Row>();
const columns = [
  column.accessor('name', { id: 'name', header: 'Name' }),
  column.accessor('cpus', { id: 'cpus', header: 'CPUs', meta: { numeric: true } }),
];

const rows: Row[] = [
  { id: 'a', name: 'web', cpus: 2 },
  { id: 'b', name: 'batch', cpus: 0.5 },
  { id: 'c', name: 'webhook', cpus: 1 },
];

/** The table of things, with its URL state; any prop may be given instead. */
function Harness(props: Partial<DataTableProps<Row>>) {
  const [state, setState] = useTableUrlState('t', { sort: 'name', order: 'asc' });
  return (
    <DataTable
      title="Things"
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      emptyMessage="No things."
      state={state}
      onStateChange={setState}
      {...props}
    />
  );
}

/** `count` rows named in order. */
const manyRows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `r${i}`,
    name: `row-${String(i).padStart(4, '0')}`,
    cpus: i,
  }));

const bodyNames = () =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent);

describe('DataTable', () => {
  it('keeps a row and its DOM when a new row is listed before it, and shows an id listed twice twice', () => {
    const next = [{ id: 'd', name: 'api', cpus: 1 }, ...rows, { ...rows[0]!, name: 'web' }];
    function Updating() {
      const [data, setData] = useState(rows);
      return (
        <>
          <button type="button" onClick={() => setData(next)}>
            poll
          </button>
          <Harness data={data} />
        </>
      );
    }
    renderWithRouter(<Updating />);
    const web = screen.getByRole('cell', { name: 'web' }).closest('tr');
    fireEvent.click(screen.getByRole('button', { name: 'poll' }));
    expect(bodyNames()).toEqual(['api', 'batch', 'web', 'web', 'webhook']);
    expect(screen.getAllByRole('cell', { name: 'web' })[0]?.closest('tr')).toBe(web);
  });

  it('is named by its heading and sorts by the default column', () => {
    renderWithRouter(<Harness />);
    expect(screen.getByRole('table', { name: /Things/ })).toBeTruthy();
    expect(bodyNames()).toEqual(['batch', 'web', 'webhook']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('sorts when a header button is pressed, and flips on a second press', () => {
    renderWithRouter(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: /CPUs/ }));
    expect(bodyNames()).toEqual(['batch', 'webhook', 'web']);
    expect(screen.getByRole('columnheader', { name: /CPUs/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /CPUs/ }));
    expect(bodyNames()).toEqual(['web', 'webhook', 'batch']);
  });

  it('reads filter and sort from the URL', () => {
    renderWithRouter(<Harness />, { url: '/?t.q=WEB&t.sort=cpus&t.order=desc' });
    expect(bodyNames()).toEqual(['web', 'webhook']);
  });

  it('filters case-insensitively after a short debounce', async () => {
    renderWithRouter(<Harness />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter Things' }), { target: { value: 'HOOK' } });
    expect(await screen.findByText('1 of 3')).toBeTruthy();
    expect(bodyNames()).toEqual(['webhook']);
  });

  it('says so when nothing matches, and shows the empty message without rows', () => {
    renderWithRouter(<Harness />, { url: '/?t.q=zzz' });
    expect(screen.getByText('No things match "zzz".')).toBeTruthy();
  });

  it('shows the empty message for no rows', () => {
    renderWithRouter(<Harness data={[]} />);
    expect(screen.getByText('No things.')).toBeTruthy();
  });
});

describe('DataTable with a long page', () => {
  const Long = ({ virtualizeFrom }: { virtualizeFrom?: number }) => (
    <Harness data={manyRows(300)} pageSize={300} virtualizeFrom={virtualizeFrom} />
  );

  it('renders every row of the page without virtualization', () => {
    renderWithRouter(<Long />);
    expect(bodyNames()).toHaveLength(300);
  });

  it('renders only the rows in view, in order from the top, when virtualized', () => {
    // jsdom has no layout: the scroll box is a screenful high, rows are one line each.
    const size = (element: HTMLElement) => (element.classList.contains('table-scroll') ? 600 : 34);
    const spies = [
      vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
        return size(this);
      }),
      vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
        return size(this);
      }),
    ];
    onTestFinished(() => spies.forEach((spy) => spy.mockRestore()));
    renderWithRouter(<Long virtualizeFrom={100} />);
    const names = bodyNames().filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(100);
    expect(names[0]).toBe('row-0000');
    // The spacer below stands in for the rest, so the scroll height is that of all rows.
    const spacer = document.querySelector('tr.virtual-spacer td') as HTMLElement | null;
    expect(Number.parseInt(spacer?.style.height ?? '0', 10)).toBeGreaterThan(5_000);
  });
});

describe('DataTable virtualized in the page', () => {
  /** jsdom has no layout: rows are measured 34 px high, as they are guessed. */
  function rowsMeasured34() {
    const spy = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (
      this: HTMLElement,
    ) {
      return this.tagName === 'TR' ? 34 : 0;
    });
    onTestFinished(() => spy.mockRestore());
  }

  function InPage({ data, cell }: { data: Row[]; cell?: (row: Row) => void }) {
    const tracked = cell
      ? [
          column.accessor('name', {
            id: 'name',
            header: 'Name',
            cell: (info) => {
              cell(info.row.original);
              return info.getValue();
            },
          }),
          columns[1]!,
        ]
      : columns;
    const [stable] = useState(tracked);
    return <Harness columns={stable} data={data} pageSize={300} virtualizeFrom={20} virtualizeIn="page" />;
  }

  it('renders the rows in the window and says how many the table has', () => {
    // jsdom has no layout: the window is 768 px high, rows are guessed 34 px high, the table at the page's top.
    renderWithRouter(<InPage data={manyRows(300)} />);
    const table = screen.getByRole('table', { name: /Things/ });
    const rendered = within(table).getAllByRole('row').slice(1);
    expect(rendered.length).toBeGreaterThan(768 / 34);
    expect(rendered.length).toBeLessThan(50);
    expect(bodyNames()[0]).toBe('row-0000');
    // The header row and 300 rows, each row saying where it is among them.
    expect(table.getAttribute('aria-rowcount')).toBe('301');
    expect(rendered.map((row) => row.getAttribute('aria-rowindex')).slice(0, 3)).toEqual(['2', '3', '4']);
    // No scroll box of its own: the table scrolls with the page, the spacer below as high as the rows left out.
    expect(table.closest('.table-scroll-virtual')).toBeNull();
    const spacer = table.querySelector('tr.virtual-spacer td') as HTMLElement | null;
    expect(Number.parseInt(spacer?.style.height ?? '0', 10)).toBe((300 - rendered.length) * 34);
  });

  it('renders every row while the page is printed', () => {
    rowsMeasured34();
    renderWithRouter(<InPage data={manyRows(300)} />);
    const count = () => within(screen.getByRole('table')).getAllByRole('row').length - 1;
    const inView = count();
    act(() => void window.dispatchEvent(new Event('beforeprint')));
    expect(count()).toBe(300);
    act(() => void window.dispatchEvent(new Event('afterprint')));
    expect(count()).toBe(inView);
  });

  it('renders again only the cells of a new row when rows move down for it', () => {
    rowsMeasured34();
    const rendered = new Set<string>();
    const first = manyRows(40);
    function Polled() {
      const [data, setData] = useState(first);
      return (
        <>
          <button type="button" onClick={() => setData([{ id: 'new', name: 'a-new', cpus: 1 }, ...first])}>
            poll
          </button>
          <InPage data={data} cell={(row) => rendered.add(row.id)} />
        </>
      );
    }
    renderWithRouter(<Polled />);
    const shown = new Set(rendered);
    expect(shown.has('r0')).toBe(true);
    rendered.clear();
    fireEvent.click(screen.getByRole('button', { name: 'poll' }));
    expect(bodyNames().slice(0, 2)).toEqual(['a-new', 'row-0000']);
    // The new row's cells, and none of the rows that were already shown (each one place further down).
    expect(rendered.has('new')).toBe(true);
    expect([...rendered].filter((id) => shown.has(id))).toEqual([]);
  });

  it('reads where its body is in the page when the layout changes, not at every poll', () => {
    rowsMeasured34();
    const reads = vi.spyOn(HTMLTableSectionElement.prototype, 'getBoundingClientRect');
    onTestFinished(() => reads.mockRestore());
    const first = manyRows(40);
    function Polled() {
      const [data, setData] = useState(first);
      return (
        <>
          <button type="button" onClick={() => setData(first.map((row) => ({ ...row })))}>
            poll
          </button>
          <InPage data={data} />
        </>
      );
    }
    renderWithRouter(<Polled />);
    expect(reads).toHaveBeenCalled();
    reads.mockClear();
    // A poll renders the table again: its place is not read, so the commit forces no layout.
    fireEvent.click(screen.getByRole('button', { name: 'poll' }));
    fireEvent.click(screen.getByRole('button', { name: 'poll' }));
    expect(reads).not.toHaveBeenCalled();
    // The window changed size (jsdom has no ResizeObserver): what is above the table may have moved it.
    act(() => void window.dispatchEvent(new Event('resize')));
    expect(reads).toHaveBeenCalled();
  });

  it('reads nothing from the layout in its first commit: rows are measured by their ResizeObserver', () => {
    const observed: Element[] = [];
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(target: Element) {
          observed.push(target);
        }
        unobserve() {}
        disconnect() {}
      },
    );
    const scrollTo = vi.fn();
    vi.stubGlobal('scrollTo', scrollTo);
    const layoutReads = [
      vi.spyOn(Element.prototype, 'getBoundingClientRect'),
      vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get'),
    ];
    onTestFinished(() => {
      layoutReads.forEach((spy) => spy.mockRestore());
      vi.unstubAllGlobals();
    });
    renderWithRouter(<InPage data={manyRows(300)} />);
    layoutReads.forEach((read) => expect(read).not.toHaveBeenCalled());
    expect(scrollTo).not.toHaveBeenCalled();
    // The browser's layout comes after the commit; the observers report each row's height then.
    expect(observed.filter((element) => element.tagName === 'TR').length).toBeGreaterThan(768 / 34);
  });
});
