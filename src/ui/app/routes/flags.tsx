import { FlagsView } from '../../features/flags/components/flags-view';
import { useDocumentTitle } from './use-document-title';

export function FlagsRoute() {
  useDocumentTitle('Flags');
  return (
    <>
      <h1 className="page-title">Flags</h1>
      <FlagsView />
    </>
  );
}
