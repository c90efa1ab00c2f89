import { useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/states';
import { FileBrowser } from '../../features/files/components/file-browser';
import { useDocumentTitle } from './use-document-title';

export function BrowseRoute() {
  const { agentId = '' } = useParams();
  const [params] = useSearchParams();
  const path = params.get('path');
  useDocumentTitle(path ? `Browse ${path}` : 'Browse');
  if (!path) return <ErrorState title='Missing "path" request parameter.' />;
  return <FileBrowser agentId={agentId} path={path} />;
}
