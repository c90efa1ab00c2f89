import { Link } from 'react-router';
import { isApiError } from '../lib/api-client';
import { ErrorState, LoadingState } from './states';

/**
 * What a detail page shows before it has data: a loading state, a clear "not found" for an unknown id (a 404
 * from the server, with a way back), or the error with a retry.
 */
export function QueryFallback({
  error,
  loadingLabel,
  notFound,
  onRetry,
}: {
  error: unknown;
  loadingLabel: string;
  notFound: { title: string; backTo: string; backLabel: string };
  onRetry: () => void;
}) {
  if (!error) return <LoadingState label={loadingLabel} lines={6} />;
  if (isApiError(error) && error.isNotFound) {
    return (
      <div className="not-found" data-testid="not-found">
        <ErrorState title={notFound.title} error={error} />
        <p>
          <Link to={notFound.backTo}>{notFound.backLabel}</Link>
        </p>
      </div>
    );
  }
  return <ErrorState title="Could not load this page." error={error} onRetry={onRetry} />;
}
