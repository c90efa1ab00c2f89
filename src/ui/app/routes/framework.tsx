import { useParams } from 'react-router';
import { FrameworkDetail } from '../../features/frameworks/components/framework-detail';
import { useDocumentTitle } from './use-document-title';

export function FrameworkRoute() {
  const { frameworkId = '' } = useParams();
  useDocumentTitle(`Framework ${frameworkId}`);
  return (
    <>
      <h1 className="page-title">
        Framework <span className="mono">{frameworkId}</span>
      </h1>
      <FrameworkDetail key={frameworkId} frameworkId={frameworkId} />
    </>
  );
}
