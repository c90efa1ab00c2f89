import { useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/states';
import { AppLogs } from '../../features/files/components/app-logs';
import { FileViewer } from '../../features/files/components/file-viewer';
import { useDocumentTitle } from './use-document-title';

export function FileViewRoute() {
  const { agentId = '' } = useParams();
  const [params] = useSearchParams();
  const path = params.get('path');
  useDocumentTitle(path ? `${path} (${agentId})` : 'File');
  if (!path) return <ErrorState title='Missing "path" request parameter.' />;
  return <FileViewer key={`${agentId}:${path}`} source={{ kind: 'agent', agentId }} path={path} />;
}

export function MasterLogRoute() {
  useDocumentTitle('Leading master log');
  return <FileViewer source={{ kind: 'master' }} path="/master/log" title="Leading master log" />;
}

export function AgentLogRoute() {
  const { agentId = '' } = useParams();
  useDocumentTitle(`Agent log (${agentId})`);
  return (
    <FileViewer
      key={agentId}
      source={{ kind: 'agent', agentId }}
      path="/slave/log"
      title={`Agent log: ${agentId}`}
    />
  );
}

export function AppLogsRoute() {
  const { frameworkId = '', appName = '' } = useParams();
  useDocumentTitle(`${appName}: logs of every instance`);
  return <AppLogs key={`${frameworkId}:${appName}`} frameworkId={frameworkId} appName={appName} />;
}
