import { execFileSync } from 'node:child_process';

/** Whether Debian's `dig` (dnsutils) is installed, for the tests that ask Mesos-DNS with it. */
export function hasDig(): boolean {
  try {
    execFileSync('dig', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
