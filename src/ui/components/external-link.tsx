import type { ReactNode } from 'react';

/**
 * A link out of mesoscope (a framework's own web UI): underlined, in its own colour and with an arrow-out icon, so
 * it never reads as one of the links that stay inside (hostnames, ids). Opens in a new tab.
 */
export function ExternalLink({
  href,
  title,
  children,
}: {
  href: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <a className="external-link" href={href} target="_blank" rel="noreferrer noopener" title={title ?? href}>
      {children}
      <svg className="external-link-icon" viewBox="0 0 12 12" width="0.8em" height="0.8em" aria-hidden="true">
        <path d="M5 2H2v8h8V7M7 1h4v4M11 1 5.5 6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}
