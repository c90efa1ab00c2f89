import { MaintenanceTables } from '../../features/maintenance/components/maintenance-tables';
import { useDocumentTitle } from './use-document-title';

export function MaintenanceRoute() {
  useDocumentTitle('Maintenance');
  return (
    <div className="stack">
      <h1 className="visually-hidden">Maintenance</h1>
      <MaintenanceTables />
    </div>
  );
}
