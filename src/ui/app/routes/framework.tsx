import { useParams } from 'react-router';
import { FrameworkDetail } from '../../features/frameworks/components/framework-detail';
import { truncateMesosId } from '../../../mesos/ids';
import { useDocumentTitle } from './use-document-title';

export function FrameworkRoute() {
  const { frameworkId = '' } = useParams();
  useDocumentTitle(`Framework ${truncateMesosId(frameworkId)}`);
  return <FrameworkDetail key={frameworkId} frameworkId={frameworkId} />;
}
