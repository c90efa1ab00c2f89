import { useParams } from 'react-router';
import { MarathonAppDetail } from '../../features/marathon/components/app-detail';
import { MarathonAppsTable } from '../../features/marathon/components/apps-table';
import { MarathonDeploymentsTable } from '../../features/marathon/components/deployments-table';
import { MarathonNav, useMarathonKey } from '../../features/marathon/components/marathon-parts';
import { useDocumentTitle } from './use-document-title';

export function MarathonAppsRoute() {
  useDocumentTitle('Marathon apps');
  const marathon = useMarathonKey();
  return (
    <div className="stack">
      <MarathonNav marathon={marathon} />
      <h1 className="visually-hidden">Marathon apps</h1>
      <MarathonAppsTable marathon={marathon} />
    </div>
  );
}

export function MarathonAppRoute() {
  const appId = `/${useParams()['*'] ?? ''}`.replace(/\/+$/, '');
  useDocumentTitle(`App ${appId}`);
  return <MarathonAppDetail marathon={useMarathonKey()} appId={appId} />;
}

export function MarathonDeploymentsRoute() {
  useDocumentTitle('Marathon deployments');
  const marathon = useMarathonKey();
  return (
    <div className="stack">
      <MarathonNav marathon={marathon} />
      <h1 className="visually-hidden">Marathon deployments</h1>
      <MarathonDeploymentsTable marathon={marathon} />
    </div>
  );
}
