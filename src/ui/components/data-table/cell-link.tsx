import { createContext, useCallback, useContext, type MouseEvent, type ReactNode } from 'react';
import { createPath, Link, useLocation, useNavigate } from 'react-router';

/**
 * Inside a table that handles its links' clicks itself, a link in a cell is a plain `<a href>`: on a big
 * cluster every poll creates a screenful of new task rows with four or five links each, and React Router's
 * `<Link>` (its hooks, its own click handler) was the largest cost of a row.
 */
const CellLinksContext = createContext(false);

/** The mark of the links that the table's one click handler follows in the app. */
const CELL_LINK = 'data-cell-link';

interface CellLinkProps {
  to: string;
  className?: string;
  title?: string;
  children: ReactNode;
}

/** A link in a table cell: a plain `<a>` in a table that follows its clicks, a `<Link>` anywhere else. */
export function CellLink({ to, className, title, children }: CellLinkProps) {
  const delegated = useContext(CellLinksContext);
  if (!delegated) {
    return (
      <Link to={to} className={className} title={title}>
        {children}
      </Link>
    );
  }
  return (
    <a href={to} className={className} title={title} {...{ [CELL_LINK]: '' }}>
      {children}
    </a>
  );
}

/** What the browser does itself with a click, as `<Link>` leaves it: another button, a modifier, a target. */
function followsInApp(
  event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>,
  anchor: Pick<HTMLAnchorElement, 'getAttribute' | 'hasAttribute'>,
): boolean {
  const target = anchor.getAttribute('target');
  const href = anchor.getAttribute('href');
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) &&
    (!target || target === '_self') &&
    !anchor.hasAttribute('download') &&
    href !== null &&
    href.startsWith('/') &&
    !href.startsWith('//')
  );
}

/** The one click handler of a table whose cell links are plain `<a>`s: plain left clicks navigate in the app. */
export function useCellLinkClicks(): (event: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  const location = useLocation();
  const here = createPath(location);
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      const anchor = (event.target as Element).closest?.(`a[${CELL_LINK}]`);
      if (!anchor || !event.currentTarget.contains(anchor) || !followsInApp(event, anchor)) return;
      event.preventDefault();
      const href = anchor.getAttribute('href') as string;
      // As `<Link>`: a link to the page shown replaces its history entry rather than adding a copy.
      void navigate(href, { replace: href === here });
    },
    [navigate, here],
  );
}

/** Gives the cells under it plain links; `onClick` (from `useCellLinkClicks`) must be on an element around them. */
export function CellLinks({ children }: { children: ReactNode }) {
  return <CellLinksContext value={true}>{children}</CellLinksContext>;
}
