/**
 * What a page asks the server for as it opens, exactly as the SPA asks for it (its route loaders; a unit test of
 * theirs holds the two together): the server names these in the page's HTML, so the browser asks for them while
 * it loads the code, and the SPA's first requests are answered from what already arrived.
 */

/** Every page in the frame (all but the wall) reads the status and the overview's counts. */
const FRAME_VIEWS = ['/api/status', '/api/overview'];

const firstTaskPage = (group: string, sort: string) =>
  `/api/tasks?group=${group}&sort=${sort}&order=desc&offset=0&limit=50`;

const firstFrameworkPage = (group: string) =>
  `/api/frameworks?group=${group}&sort=registeredTime&order=desc&offset=0&limit=50`;

/**
 * A page's own first views at its plain URL; a query (a filter, a sort, a page) changes what it asks. Pages
 * with a parameter (`/agents/:id`, `/frameworks/:id`...) are left out: they have no route loader, and their
 * views would name ids from the URL in the HTML and make a document per id.
 */
const PAGE_VIEWS: Record<string, string[]> = {
  '/': [
    firstTaskPage('active', 'start'),
    firstTaskPage('unreachable', 'start'),
    firstTaskPage('completed', 'finish'),
  ],
  '/tasks': [firstTaskPage('all', 'start'), '/api/tasks/facets'],
  '/frameworks': [
    firstFrameworkPage('active'),
    firstFrameworkPage('inactive'),
    firstFrameworkPage('completed'),
  ],
  '/agents': ['/api/agents?sort=host&order=asc&offset=0&limit=500'],
};

/**
 * The chunk of each page with first views that is loaded on its own (as the build's manifest names its
 * source), asked for with the HTML; the Overview is in the main chunk.
 */
export const PAGE_MODULES: Record<string, string> = {
  '/tasks': 'src/ui/app/routes/tasks.tsx',
  '/frameworks': 'src/ui/app/routes/frameworks.tsx',
  '/agents': 'src/ui/app/routes/agents.tsx',
};

export function firstViewsOf(pathname: string, query: string): string[] {
  if (pathname === '/wall' || pathname.startsWith('/wall/')) return [];
  const plain = query === '' || query === '?';
  return [...FRAME_VIEWS, ...((plain && PAGE_VIEWS[pathname]) || [])];
}
