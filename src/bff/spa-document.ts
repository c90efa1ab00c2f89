import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { firstViewsOf, PAGE_MODULES } from './schemas/first-views';

/** One chunk in the build's manifest (`build.manifest` in vite.config.ts). */
interface ManifestChunk {
  file: string;
  imports?: string[];
}

/**
 * The SPA's index.html for one page, with that page's first views (`preload`, asked for as the SPA will ask)
 * and its own chunks (`modulepreload`) named in the head. The browser then asks for them while it parses the
 * HTML, in parallel with the main chunk, instead of after the main chunk has loaded and run (300 to 500 ms at
 * `massive`); the SPA's own requests are answered from what arrived.
 */
export class SpaDocument {
  private readonly html: string;
  private readonly manifest: Record<string, ManifestChunk>;
  private readonly made = new Map<string, string>();

  constructor(uiDir: string) {
    this.html = readFileSync(path.join(uiDir, 'index.html'), 'utf8');
    const manifestFile = path.join(uiDir, '.vite/manifest.json');
    this.manifest = existsSync(manifestFile)
      ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>)
      : {};
  }

  /** The document for `url` (path and query), made once per page and kind of query. */
  for(url: string): string {
    const { pathname, search: query } = new URL(url, 'http://page');
    const key = `${pathname}${query === '' ? '' : '?'}`;
    let html = this.made.get(key);
    if (html === undefined) {
      html = this.withLinks(pathname, query);
      if (this.made.size > 100) this.made.clear();
      this.made.set(key, html);
    }
    return html;
  }

  private withLinks(pathname: string, query: string): string {
    const links = [
      ...this.chunksOf(PAGE_MODULES[pathname]).map(
        (file) => `<link rel="modulepreload" crossorigin href="/${file}">`,
      ),
      ...firstViewsOf(pathname, query).map(
        (view) => `<link rel="preload" as="fetch" crossorigin href="${view.replaceAll('&', '&amp;')}">`,
      ),
    ];
    if (links.length === 0) return this.html;
    return this.html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
  }

  /** A page's chunk and the chunks it imports, leaving out those the HTML already loads. */
  private chunksOf(source: string | undefined): string[] {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = this.manifest[key];
      if (!chunk || files.has(chunk.file) || this.html.includes(`/${chunk.file}"`)) return;
      files.add(chunk.file);
      chunk.imports?.forEach(visit);
    };
    if (source) visit(source);
    return [...files];
  }
}
