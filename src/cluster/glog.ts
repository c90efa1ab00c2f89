import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Severity letters glog prints at the start of each line. */
export type GlogSeverity = 'I' | 'W' | 'E';

/**
 * A real, append-only, glog-formatted log file (the format Mesos daemons write), e.g.
 * `I1122 07:17:01.123456 12345 master.cpp:1042] Registered agent ...`.
 * Writes are synchronous so a reader of `/files/read` always sees complete lines.
 */
export class GlogFile {
  private fd: number | undefined;

  constructor(
    readonly path: string,
    private readonly sink?: (line: string) => void,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    const now = new Date();
    const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    this.raw(
      `Log file created at: ${stamp}\nRunning on machine: ${hostname()}\n` +
        'Running duration (h:mm:ss): 0:00:00\n' +
        'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n',
    );
  }

  /** Appends one message; `source` is the pseudo `file:line` glog prints. */
  log(severity: GlogSeverity, source: string, message: string): void {
    const epochMicros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const now = new Date(Math.floor(epochMicros / 1000));
    const micros = String(epochMicros % 1_000_000).padStart(6, '0');
    const line =
      `${severity}${pad(now.getMonth() + 1)}${pad(now.getDate())} ` +
      `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${micros} ` +
      `${String(process.pid).padStart(5, ' ')} ${source}] ${message}`;
    this.raw(`${line}\n`);
    this.sink?.(line);
  }

  /** Stops writing; later calls to {@link log} are ignored. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private raw(text: string): void {
    if (this.fd !== undefined) writeSync(this.fd, text);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
