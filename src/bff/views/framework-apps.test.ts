import { describe, expect, it } from 'vitest';
import { parseTask } from '../../mesos';
import { frameworkApps } from './framework-detail-view';

const task = (id: string, name: string, state: string) =>
  parseTask({ id, name, framework_id: 'fw', slave_id: 'S0', state, resources: {} });

describe('frameworkApps', () => {
  it('groups the tasks of a framework by name, counting instances by state, names sorted naturally', () => {
    const { apps, appsOmitted } = frameworkApps({
      tasks: [
        task('web.1', 'web.prod', 'TASK_RUNNING'),
        task('web.2', 'web.prod', 'TASK_STAGING'),
        task('api.1', 'api-10', 'TASK_RUNNING'),
      ],
      unreachable_tasks: [task('web.3', 'web.prod', 'TASK_RUNNING')],
      completed_tasks: [
        task('web.0', 'web.prod', 'TASK_FAILED'),
        task('api.0', 'api-2', 'TASK_FINISHED'),
        task('api.9', 'api-2', 'TASK_LOST'),
      ],
    });
    expect(appsOmitted).toBe(0);
    expect(apps).toEqual([
      { name: 'api-2', active: 0, running: 0, completed: 2, failed: 1, unreachable: 0 },
      { name: 'api-10', active: 1, running: 1, completed: 0, failed: 0, unreachable: 0 },
      { name: 'web.prod', active: 2, running: 1, completed: 1, failed: 1, unreachable: 1 },
    ]);
  });

  it('keeps the most active apps of a framework with too many to list, and says how many it left out', () => {
    const tasks = Array.from({ length: 520 }, (_, i) =>
      task(`t${i}`, `app-${i}`, i < 10 ? 'TASK_RUNNING' : 'TASK_FINISHED'),
    );
    const { apps, appsOmitted } = frameworkApps({
      tasks: tasks.slice(0, 10),
      unreachable_tasks: [],
      completed_tasks: tasks.slice(10),
    });
    expect(apps).toHaveLength(500);
    expect(appsOmitted).toBe(20);
    expect(apps.filter((app) => app.active > 0)).toHaveLength(10);
  });
});
