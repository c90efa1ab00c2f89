import { FailuresPage } from '../../features/history/components/failures-page';
import { useDocumentTitle } from './use-document-title';

export function FailuresRoute() {
  useDocumentTitle('Failures');
  return (
    <div className="stack">
      <h1 className="page-title">Failures</h1>
      <FailuresPage />
    </div>
  );
}
