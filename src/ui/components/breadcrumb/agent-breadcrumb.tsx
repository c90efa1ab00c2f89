import { Link } from 'react-router';
import { truncateMesosId } from '../../../mesos/ids';
import { paths } from '../../config/paths';

export interface Crumb {
  label: string;
  /** Omitted for the current page. */
  to?: string;
  /** The full text, when `label` is shortened. */
  title?: string;
}

/** A link back to the agent: its short ID, then "hostname (short ID)" once the page knows the hostname. */
export function agentCrumb(agentId: string, hostname?: string): Crumb {
  const short = truncateMesosId(agentId);
  return {
    label: hostname === undefined ? short : `${hostname} (${short})`,
    title: agentId,
    to: paths.agent.build(agentId),
  };
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
