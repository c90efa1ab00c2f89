import { FrameworksTables } from '../../features/frameworks/components/frameworks-tables';
import { useDocumentTitle } from './use-document-title';

export function FrameworksRoute() {
  useDocumentTitle('Frameworks');
  return (
    <div className="stack">
      <h1 className="visually-hidden">Frameworks</h1>
      <FrameworksTables />
    </div>
  );
}
