/**
 * A process that records a steady burst of task changes into a SQLite task store, saying on stdout how many
 * tasks it has written (committed) so far; the crash test kills it with SIGKILL in the middle of writing.
 * Usage: task-store-writer.ts <file>
 */
import { SqliteTaskStore } from '../task-store/sqlite-store';
import { TaskRecorder } from '../task-store/task-recorder';
import { snapshotWith } from '../task-store/test-cluster-state';
import type { TestTask } from '../task-store/test-cluster-state';

const store = SqliteTaskStore.open(process.argv[2]!);
const recorder = new TaskRecorder({ store, flushMs: 60_000 });
const tasks: TestTask[] = [];
const t0 = 1_700_000_000;
for (let round = 0; ; round += 1) {
  for (let i = 0; i < 200; i += 1) {
    const n = round * 200 + i;
    tasks.push({
      id: `burst.${n}`,
      statuses: [
        ['TASK_STAGING', t0 + n],
        ['TASK_RUNNING', t0 + n + 1],
      ],
    });
  }
  recorder.observe('crash', snapshotWith(tasks.slice(-400)));
  await recorder.flush();
  process.stdout.write(`written ${tasks.length}\n`);
}
