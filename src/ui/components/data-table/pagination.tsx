const MAX_PAGE_BUTTONS = 5;

/** Which page numbers to show: at most five, around the current page. */
function pageWindow(page: number, pageCount: number): number[] {
  const size = Math.min(MAX_PAGE_BUTTONS, pageCount);
  const start = Math.max(0, Math.min(page - Math.floor(size / 2), pageCount - size));
  return Array.from({ length: size }, (_, index) => start + index);
}

export function Pagination({
  page,
  pageCount,
  onPage,
  label,
}: {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  label: string;
}) {
  if (pageCount <= 1) return null;
  const last = pageCount - 1;
  return (
    <nav className="pagination" aria-label={`${label} pages`}>
      <button type="button" onClick={() => onPage(0)} disabled={page === 0} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page === 0} aria-label="Previous page">
        ‹
      </button>
      {pageWindow(page, pageCount).map((index) => (
        <button
          key={index}
          type="button"
          onClick={() => onPage(index)}
          aria-current={index === page ? 'page' : undefined}
          aria-label={`Page ${index + 1}`}
        >
          {index + 1}
        </button>
      ))}
      <button type="button" onClick={() => onPage(page + 1)} disabled={page === last} aria-label="Next page">
        ›
      </button>
      <button type="button" onClick={() => onPage(last)} disabled={page === last} aria-label="Last page">
        »
      </button>
    </nav>
  );
}
