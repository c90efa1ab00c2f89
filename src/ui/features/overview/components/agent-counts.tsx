import { memo } from 'react';
import type { OverviewView } from '../../../../bff/schemas/views';
import { paths } from '../../../config/paths';
import { CountTable } from '../../../components/counts/count-table';

const agentsIn = (states: string) => `${paths.agents.build()}?state=${encodeURIComponent(states)}`;

/** Rendered again only when the agents' counts changed (a poll keeps an unchanged part's identity). */
export const AgentCounts = memo(function AgentCounts({
  agents,
}: {
  agents: OverviewView['agents'] | undefined;
}) {
  return (
    <CountTable
      title="Agents"
      rows={[
        {
          label: 'Activated',
          value: agents?.activated,
          testId: 'agents-activated',
          tone: 'ok',
          to: agentsIn('Active'),
        },
        {
          label: 'Deactivated',
          value: agents?.deactivated,
          testId: 'agents-deactivated',
          tone: 'warn',
          to: agentsIn('Deactivated,Draining,Drained'),
        },
        {
          label: 'Unreachable',
          value: agents?.unreachable,
          testId: 'agents-unreachable',
          tone: 'bad',
          to: agentsIn('Unreachable'),
        },
      ]}
    />
  );
});
