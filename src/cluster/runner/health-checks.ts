import { spawn } from 'node:child_process';
import type { HealthCheckSpec } from '../master/task-extras';

/** Runs `sh -c command` in `cwd`; true when it exits 0 within the timeout. */
export function runCheckCommand(command: string, cwd: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('sh', ['-c', command], {
        cwd,
        stdio: 'ignore',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
    } catch {
      resolve(false);
      return;
    }
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/**
 * A command health check as the Mesos executor runs it: first after `delaySeconds`, then every
 * `intervalSeconds`. `report(healthy)` is called with the first result and whenever the result changes
 * (the local cluster never kills an unhealthy task). Stops once `live()` turns false; `stop()` too.
 */
export function startHealthCheck(options: {
  spec: HealthCheckSpec;
  sandbox: string;
  live: () => boolean;
  report: (healthy: boolean) => void;
}): { stop(): void } {
  const { spec, sandbox, live, report } = options;
  let last: boolean | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async () => {
    if (stopped || !live()) return;
    const healthy = await runCheckCommand(spec.command, sandbox, spec.timeoutSeconds * 1000);
    if (stopped || !live()) return;
    if (healthy !== last) {
      last = healthy;
      report(healthy);
    }
    schedule(spec.intervalSeconds * 1000);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };

  schedule(spec.delaySeconds * 1000);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
