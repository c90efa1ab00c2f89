import { WallPage } from '../../features/wall/components/wall-page';
import { useDocumentTitle } from './use-document-title';

export function WallRoute() {
  useDocumentTitle('Wall');
  return <WallPage />;
}
