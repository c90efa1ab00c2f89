import { RolesTable } from '../../features/roles/components/roles-table';
import { useDocumentTitle } from './use-document-title';

export function RolesRoute() {
  useDocumentTitle('Roles');
  return (
    <div className="stack">
      <h1 className="visually-hidden">Roles</h1>
      <RolesTable />
    </div>
  );
}
