import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpaDocument } from './spa-document';

const INDEX = `<!doctype html>
<html>
  <head>
    <script type="module" crossorigin src="/assets/index-AAAA.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/shared-CCCC.js">
  </head>
  <body><div id="root"></div></body>
</html>`;

const MANIFEST = {
  'index.html': { file: 'assets/index-AAAA.js', imports: ['_shared-CCCC.js'] },
  '_shared-CCCC.js': { file: 'assets/shared-CCCC.js' },
  '_table-DDDD.js': { file: 'assets/table-DDDD.js', imports: ['_shared-CCCC.js'] },
  'src/ui/app/routes/tasks.tsx': {
    file: 'assets/tasks-BBBB.js',
    imports: ['_table-DDDD.js', '_shared-CCCC.js'],
  },
};

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function documentOf(manifest: unknown = MANIFEST): SpaDocument {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-spa-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  if (manifest) {
    mkdirSync(path.join(dir, '.vite'));
    writeFileSync(path.join(dir, '.vite/manifest.json'), JSON.stringify(manifest));
  }
  return new SpaDocument(dir);
}

const linksOf = (html: string, rel: string) =>
  [...html.matchAll(new RegExp(`<link rel="${rel}"[^>]* href="([^"]+)">`, 'g'))].map((m) => m[1]);

describe('SpaDocument', () => {
  it("names a page's own chunks, but not those the HTML already loads, and its first views", () => {
    const html = documentOf().for('/tasks');
    expect(linksOf(html, 'modulepreload')).toEqual([
      '/assets/shared-CCCC.js',
      '/assets/tasks-BBBB.js',
      '/assets/table-DDDD.js',
    ]);
    expect(linksOf(html, 'preload')).toEqual([
      '/api/status',
      '/api/overview',
      '/api/tasks?group=all&amp;sort=start&amp;order=desc&amp;offset=0&amp;limit=50',
      '/api/tasks/facets',
    ]);
    expect(html.indexOf('tasks-BBBB')).toBeLessThan(html.indexOf('</head>'));
  });

  it("leaves a page's own views out when its URL asks for other ones", () => {
    const html = documentOf().for('/tasks?group=completed&tasks.page=3');
    expect(linksOf(html, 'preload')).toEqual(['/api/status', '/api/overview']);
    expect(linksOf(html, 'modulepreload')).toContain('/assets/tasks-BBBB.js');
  });

  it("leaves out a page with a parameter, which shares its path's start with a page that has first views", () => {
    const html = documentOf({
      ...MANIFEST,
      'src/ui/app/routes/agents.tsx': { file: 'assets/agents-EEEE.js' },
    }).for('/agents/S1');
    expect(linksOf(html, 'preload')).toEqual(['/api/status', '/api/overview']);
    expect(linksOf(html, 'modulepreload')).toEqual(['/assets/shared-CCCC.js']);
  });

  it('serves the Overview its three task tables, and the wall, which has no frame, as built', () => {
    const spa = documentOf();
    expect(linksOf(spa.for('/'), 'preload')).toHaveLength(5);
    expect(spa.for('/wall?refresh=10')).toBe(INDEX);
  });

  it('works without a manifest (a build from before it): first views only', () => {
    const html = documentOf(null).for('/tasks');
    expect(linksOf(html, 'modulepreload')).toEqual(['/assets/shared-CCCC.js']);
    expect(linksOf(html, 'preload')).toHaveLength(4);
  });
});
