import { MetricsView } from '../../features/metrics/components/metrics-view';
import { useDocumentTitle } from './use-document-title';

export function MetricsRoute() {
  useDocumentTitle('Metrics');
  return (
    <>
      <h1 className="page-title">Metrics</h1>
      <MetricsView />
    </>
  );
}
