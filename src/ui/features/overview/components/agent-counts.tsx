import type { OverviewView } from '../../../../bff/schemas/views';
import { CountTable } from './count-table';

export function AgentCounts({ agents }: { agents: OverviewView['agents'] | undefined }) {
  return (
    <CountTable
      title="Agents"
      rows={[
        { label: 'Activated', value: agents?.activated, testId: 'agents-activated', tone: 'ok' },
        { label: 'Deactivated', value: agents?.deactivated, testId: 'agents-deactivated', tone: 'warn' },
        { label: 'Unreachable', value: agents?.unreachable, testId: 'agents-unreachable', tone: 'bad' },
      ]}
    />
  );
}
