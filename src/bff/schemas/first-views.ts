/**
 * What a page asks the server for as it opens, exactly as the SPA asks for it (its route loaders; a unit test of
 * theirs holds the two together): the server names these in the page's HTML, so the browser asks for them while
 * it loads the code, and the SPA's first requests are answered from what already arrived.
 */

/** Every page in the frame (all but the wall) reads the status and the overview's counts. */
const FRAME_VIEWS = ['/api/status', '/api/overview'];

const firstTaskPage = (group: string, sort: string) =>
  `/api/tasks?group=${group}&sort=${sort}&order=desc&offset=0&limit=50`;

/** A page's own first views at its plain URL; a query (a filter, a sort, a page) changes what it asks. */
const PAGE_VIEWS: Record<string, string[]> = {
  '/': [
    firstTaskPage('active', 'start'),
    firstTaskPage('unreachable', 'start'),
    firstTaskPage('completed', 'finish'),
  ],
  '/tasks': [firstTaskPage('all', 'start'), '/api/tasks/facets'],
};

/** The chunk of each page loaded on its own (as the build's manifest names its source): asked for with the HTML. */
export const PAGE_MODULES: Record<string, string> = {
  '/tasks': 'src/ui/app/routes/tasks.tsx',
};

export function firstViewsOf(pathname: string, query: string): string[] {
  if (pathname === '/wall' || pathname.startsWith('/wall/')) return [];
  const plain = query === '' || query === '?';
  return [...FRAME_VIEWS, ...((plain && PAGE_VIEWS[pathname]) || [])];
}
