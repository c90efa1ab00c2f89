import { CHRONOS_INTERVAL_MS, CHRONOS_JOBS } from '../scenarios/demo-scenario';

/** The demo's jobs, posted to a running Chronos as its users would: every 20 s from now, no retries. */
export async function postDemoJobs(chronosUrl: string): Promise<void> {
  for (const job of CHRONOS_JOBS) {
    const response = await fetch(`${chronosUrl}/v1/scheduler/iso8601`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: job.name,
        command: job.cmd,
        schedule: `R//PT${CHRONOS_INTERVAL_MS / 1000}S`,
        epsilon: 'PT30S',
        retries: 0,
        cpus: 0.1,
        mem: 32,
        disk: 10,
        owner: 'demo@mesoscope.local',
      }),
    });
    if (response.status !== 204)
      throw new Error(`Chronos refused the demo job ${job.name}: ${await response.text()}`);
  }
}
