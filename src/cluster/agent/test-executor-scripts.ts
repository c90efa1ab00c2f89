/**
 * Executors for the tests, written the way framework authors write them: a plain Node program speaking the
 * executor HTTP API, and one built on the `mesos-framework` package's Executor class.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * A Node executor: subscribes, prints every event it gets as `EVENT <json>` and its MESOS_* environment as
 * `ENV <json>` on stdout, and answers LAUNCH with STARTING and RUNNING, then by `EXECUTOR_MODE`:
 * `finish` (FINISHED after 100 ms), `hold` (keeps running), `crash` (the process exits with status 3).
 * KILL gets TASK_KILLED; SHUTDOWN ends the process.
 */
export const NODE_EXECUTOR = String.raw`
import http from 'node:http';
import { randomUUID } from 'node:crypto';
const [host, port] = process.env.MESOS_AGENT_ENDPOINT.split(':');
const framework_id = { value: process.env.MESOS_FRAMEWORK_ID };
const executor_id = { value: process.env.MESOS_EXECUTOR_ID };
const mode = process.env.EXECUTOR_MODE ?? 'finish';
const print = (line) => process.stdout.write(line + '\n');
print('ENV ' + JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MESOS_') || k === 'LIBPROCESS_PORT'))));
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => resolve({ status: res.statusCode, text }));
  });
  req.on('error', reject);
  req.end(JSON.stringify(body));
});
const uuid = () => Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
const update = async (taskId, state, message) => {
  const status = { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid: uuid() };
  if (message) status.message = message;
  const res = await post({ type: 'UPDATE', framework_id, executor_id, update: { status } });
  print('UPDATE ' + state + ' ' + status.uuid + ' ' + res.status);
};
const handle = async (event) => {
  print('EVENT ' + JSON.stringify(event));
  if (event.type === 'LAUNCH') {
    const id = event.launch.task.task_id.value;
    await update(id, 'TASK_STARTING');
    await update(id, 'TASK_RUNNING');
    if (mode === 'finish') setTimeout(() => update(id, 'TASK_FINISHED', 'done'), 100);
    if (mode === 'crash') setTimeout(() => process.exit(3), 100);
  } else if (event.type === 'KILL') {
    await update(event.kill.task_id.value, 'TASK_KILLED', 'killed by the executor');
  } else if (event.type === 'SHUTDOWN') {
    process.exit(0);
  }
};
const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
  let buffer = Buffer.alloc(0);
  res.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const newline = buffer.indexOf(10);
      if (newline < 0) break;
      const length = Number(buffer.subarray(0, newline).toString());
      if (buffer.length < newline + 1 + length) break;
      const record = buffer.subarray(newline + 1, newline + 1 + length).toString();
      buffer = buffer.subarray(newline + 1 + length);
      void handle(JSON.parse(record));
    }
  });
  res.on('end', () => process.exit(0));
});
req.end(JSON.stringify({ type: 'SUBSCRIBE', framework_id, executor_id, subscribe: {} }));
`;

/**
 * An executor built with `mesos-framework`'s Executor: each LAUNCH gets TASK_RUNNING (and a line on stdout
 * naming the task), then TASK_FINISHED `runMs` later; SHUTDOWN ends it.
 */
export function mesosFrameworkExecutor(runMs = 200): string {
  const library = createRequire(import.meta.url).resolve('mesos-framework');
  return String.raw`
const { randomUUID } = require('node:crypto');
const Executor = require(${JSON.stringify(library)}).Executor;
const uuid = () => Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
const status = (taskId, state) => ({ task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid: uuid() });
const executor = new Executor({
  handlers: {
    SUBSCRIBED: function (subscribed) { console.log('SUBSCRIBED to ' + subscribed.agent_info.id.value); },
    LAUNCH: function (launched) {
      const id = launched.task.task_id.value;
      console.log('mesos-framework executor runs ' + id);
      this.update(status(id, 'TASK_RUNNING'));
      setTimeout(() => this.update(status(id, 'TASK_FINISHED')), ${runMs});
    },
    KILL: function (killed) { this.update(status(killed.task_id.value, 'TASK_KILLED')); },
    ACKNOWLEDGED: function (acknowledged) { console.log('ACKNOWLEDGED ' + acknowledged.task_id.value); },
    MESSAGE: function (message) {},
    ERROR: function (error) { console.log('ERROR ' + JSON.stringify(error)); },
    SHUTDOWN: function (shutdown) { process.exit(0); },
  },
});
// The library emits 'error' for events it has no handler for (HEARTBEAT): only log them.
executor.on('error', (error) => console.log('library error: ' + JSON.stringify(error)));
executor.subscribe();
`;
}

/** Writes a script into `dir` and returns its path. */
export function writeScript(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
