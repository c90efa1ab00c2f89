import { Link } from 'react-router';
import { paths } from '../../../config/paths';

export interface Crumb {
  label: string;
  /** Omitted for the current page. */
  to?: string;
  /** The full text, when `label` is shortened. */
  title?: string;
}

/** Agents › agent › framework › executor: where this page sits, each step a link back. */
export function AgentBreadcrumb({ crumbs }: { crumbs: Crumb[] }) {
  const all: Crumb[] = [{ label: 'Agents', to: paths.agents.build() }, ...crumbs];
  return (
    <nav className="breadcrumb page-breadcrumb" aria-label="Breadcrumb">
      <ol>
        {all.map((crumb, index) => (
          <li key={`${index}-${crumb.label}`}>
            {index > 0 && (
              <span className="crumb-sep" aria-hidden="true">
                ›
              </span>
            )}
            {crumb.to ? (
              <Link to={crumb.to} title={crumb.title}>
                <bdi>{crumb.label}</bdi>
              </Link>
            ) : (
              <span aria-current="page" title={crumb.title}>
                <bdi>{crumb.label}</bdi>
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
