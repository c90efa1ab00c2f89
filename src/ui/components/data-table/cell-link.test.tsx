import { fireEvent, screen } from '@testing-library/react';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderWithRouter } from '../../testing/test-utils';
import { CellLink, CellLinks, useCellLinkClicks } from './cell-link';

function Where() {
  return <output data-testid="where">{useLocation().pathname}</output>;
}

function Table() {
  const onClick = useCellLinkClicks();
  return (
    <>
      <Where />
      {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions */}
      <table onClick={onClick}>
        <tbody>
          <CellLinks>
            <tr>
              <td>
                <CellLink to="/tasks/t1" className="mono" title="t1">
                  Task t1
                </CellLink>
              </td>
            </tr>
          </CellLinks>
        </tbody>
      </table>
      <CellLink to="/agents/a1">Outside</CellLink>
    </>
  );
}

/** Clicks the link as described; whether the browser would still follow it itself (not prevented). */
function click(name: string, init: MouseEventInit = {}): boolean {
  let leftToBrowser = false;
  // The last listener notes what the browser would do, then stops jsdom, which cannot load pages.
  const note = (event: Event) => {
    leftToBrowser = !event.defaultPrevented;
    event.preventDefault();
  };
  window.addEventListener('click', note);
  fireEvent.click(screen.getByRole('link', { name }), { button: 0, ...init });
  window.removeEventListener('click', note);
  return leftToBrowser;
}

describe('CellLink', () => {
  it('is a plain link with the same href, class and title inside a table that follows its clicks', () => {
    renderWithRouter(<Table />, { url: '/tasks' });
    const link = screen.getByRole('link', { name: 'Task t1' });
    expect(link.getAttribute('href')).toBe('/tasks/t1');
    expect(link.className).toBe('mono');
    expect(link.getAttribute('title')).toBe('t1');
    expect(link.hasAttribute('data-cell-link')).toBe(true);
    // Outside such a table it stays a router link.
    expect(screen.getByRole('link', { name: 'Outside' }).hasAttribute('data-cell-link')).toBe(false);
  });

  it('follows a plain left click in the app', () => {
    renderWithRouter(<Table />, { url: '/tasks' });
    expect(click('Task t1')).toBe(false);
    expect(screen.getByTestId('where').textContent).toBe('/tasks/t1');
  });

  it.each([
    ['ctrl', { ctrlKey: true }],
    ['cmd', { metaKey: true }],
    ['shift', { shiftKey: true }],
    ['alt', { altKey: true }],
    ['middle button', { button: 1 }],
  ])('leaves a %s click to the browser (a new tab or window)', (_, init) => {
    renderWithRouter(<Table />, { url: '/tasks' });
    expect(click('Task t1', init)).toBe(true);
    expect(screen.getByTestId('where').textContent).toBe('/tasks');
  });

  it('leaves a click that something else already handled', () => {
    renderWithRouter(<Table />, { url: '/tasks' });
    screen
      .getByRole('link', { name: 'Task t1' })
      .addEventListener('click', (event) => event.preventDefault());
    click('Task t1');
    expect(screen.getByTestId('where').textContent).toBe('/tasks');
  });
});
