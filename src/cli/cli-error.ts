/** Exit codes of `mesoscope`, so scripts can tell why it failed. */
export const EXIT = {
  ok: 0,
  /** The cluster, Marathon or the system refused or failed. */
  failed: 1,
  /** Bad invocation or bad input: an unknown command or flag, a file that is not valid. */
  usage: 2,
  /** The command needs a running cluster and there is none here. */
  notRunning: 3,
  /** A port `up` needs is taken. */
  portInUse: 4,
} as const;

/** A failure the CLI reports as one clear line and an exit code; with `showUsage`, the usage follows. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
