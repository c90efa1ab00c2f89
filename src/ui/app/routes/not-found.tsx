import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { paths } from '../../config/paths';
import { errorMessage } from '../../components/states';
import { useDocumentTitle } from './use-document-title';

export function NotFoundRoute() {
  useDocumentTitle('Not found');
  return (
    <div className="not-found">
      <h1 className="page-title">Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to={paths.overview.build()}>Go to the overview</Link>
      </p>
    </div>
  );
}

/** Shown when a page throws while rendering. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <div className="not-found" role="alert">
      <h1 className="page-title">Something went wrong</h1>
      <p className="mono">{message}</p>
      <p>
        <Link to={paths.overview.build()}>Go to the overview</Link>
      </p>
    </div>
  );
}
