import { Link } from 'react-router';
import { paths } from '../../../config/paths';
import { pathSegments } from '../utils/file-path';

/** One crumb per path segment, each a link to browse that directory; copying it yields the real path. */
export function PathBreadcrumb({
  agentId,
  path,
  lastIsFile = false,
}: {
  agentId: string;
  path: string;
  lastIsFile?: boolean;
}) {
  const segments = pathSegments(path);
  return (
    <nav className="breadcrumb" aria-label="Path">
      <ol>
        {segments.map((segment, index) => {
          const last = index === segments.length - 1;
          return (
            <li key={segment.path}>
              <span className="crumb-sep">/</span>
              {last ? (
                <span aria-current="page" className={lastIsFile ? 'crumb-file' : undefined}>
                  {segment.name}
                </span>
              ) : (
                <Link to={paths.browse.build(agentId, segment.path)}>{segment.name}</Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
