import { AuditTable } from '../../features/operations/components/audit-table';
import { useDocumentTitle } from './use-document-title';

export function AuditRoute() {
  useDocumentTitle('Audit');
  return (
    <div className="stack">
      <h1 className="page-title">Operations audit log</h1>
      <AuditTable />
    </div>
  );
}
