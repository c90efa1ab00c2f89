import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Checks of passwords waiting at most; more at once are refused (the sign-in throttle keeps this rare). */
const MAX_QUEUED = 64;

/** The worker's whole program: bcryptjs's synchronous compare, one job at a time, off the main thread. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, password, hash }) => {
  let matches = false;
  try { matches = bcrypt.compareSync(password, hash); } catch { matches = false; }
  parentPort.postMessage({ id, matches });
});
`;

export class BcryptBusyError extends Error {
  override readonly name = 'BcryptBusyError';
}

interface Job {
  resolve(matches: boolean): void;
  reject(error: Error): void;
}

/**
 * bcrypt on a worker thread: a password check takes tens of milliseconds of CPU, which on the main thread
 * would hold every other request back for as long (20 concurrent guesses made signed-in requests wait 13 s).
 * One thread: checks queue behind each other, and the main thread keeps a core of its own on small machines.
 */
export class BcryptWorker {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  /** Whether `password` matches the bcrypt `hash`; throws BcryptBusyError when too many checks wait. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.jobs.size >= MAX_QUEUED) {
      return Promise.reject(new BcryptBusyError('Too many sign-ins are being checked at once'));
    }
    const worker = this.start();
    const id = (this.nextId += 1);
    return new Promise<boolean>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      if (this.jobs.size === 1) worker.ref();
      worker.postMessage({ id, password, hash });
    });
  }

  /** Checks in flight or waiting. */
  get pending(): number {
    return this.jobs.size;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const bcrypt = createRequire(import.meta.url).resolve('bcryptjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcrypt } });
    // Idle, the worker must not keep the process alive.
    worker.unref();
    worker.on('message', ({ id, matches }: { id: number; matches: boolean }) => {
      const job = this.jobs.get(id);
      this.jobs.delete(id);
      if (this.jobs.size === 0) worker.unref();
      job?.resolve(matches);
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`the password check thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The thread died: every check in flight fails (the user may sign in again), the next starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }
}
