import { AgentsTable } from '../../features/agents/components/agents-table';
import { useDocumentTitle } from './use-document-title';

export function AgentsRoute() {
  useDocumentTitle('Agents');
  return (
    <div className="stack">
      <h1 className="visually-hidden">Agents</h1>
      <AgentsTable />
    </div>
  );
}
