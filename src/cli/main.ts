/**
 * `mesoscope <command>`: minimesos's workflow for the local cluster. Every failure is one line on stderr and an
 * exit code (see {@link EXIT}); an unknown command or flag is followed by the usage.
 */
import { oneOf, parseCommand, USAGE } from './args';
import { CliError, EXIT } from './cli-error';
import { info, logs, ps, state } from './cluster-commands';
import { install, uninstall } from './install';
import { requireRunning } from './runtime';
import { down, up, version } from './up-down';
import type { Output } from './up-down';

export async function run(argv: readonly string[], cwd: string, io: Output): Promise<number> {
  try {
    const { command, flags } = parseCommand(argv);
    switch (command) {
      case 'help':
        io.out(USAGE.trimEnd());
        return EXIT.ok;
      case 'version':
        io.out(`mesoscope ${version()}`);
        return EXIT.ok;
      case 'up':
        await up(cwd, flags, io);
        return EXIT.ok;
      case 'down':
        await down(cwd, io);
        return EXIT.ok;
      case 'info':
        await info(requireRunning(cwd), io);
        return EXIT.ok;
      case 'state':
        await state(requireRunning(cwd), stringFlag(flags['agent']), io);
        return EXIT.ok;
      case 'ps':
        await ps(requireRunning(cwd), io);
        return EXIT.ok;
      case 'install': {
        const kind = oneOf('install', flags, ['app', 'group', 'stdin']);
        const file = kind === 'stdin' ? null : String(flags[kind]);
        const cluster = requireRunning(cwd);
        io.out(
          await install(cluster, {
            kind: kind === 'stdin' ? 'stdin' : kind === 'app' ? 'app' : 'group',
            file,
            update: flags['update'] === true,
          }),
        );
        return EXIT.ok;
      }
      case 'uninstall': {
        const kind = oneOf('uninstall', flags, ['app', 'group']) === 'app' ? 'app' : 'group';
        io.out(await uninstall(requireRunning(cwd), kind, String(flags[kind])));
        return EXIT.ok;
      }
      case 'logs': {
        const task = stringFlag(flags['task']);
        if (task === undefined) throw new CliError('logs: --task ID is required', EXIT.usage, true);
        await logs(
          requireRunning(cwd),
          { task, stderr: flags['stderr'] === true, follow: flags['follow'] === true },
          (text) => process.stdout.write(text),
        );
        return EXIT.ok;
      }
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`mesoscope: ${error.message}`);
      if (error.showUsage) io.err(`\n${USAGE.trimEnd()}`);
      return error.exitCode;
    }
    io.err(`mesoscope: ${(error as Error).stack ?? String(error)}`);
    return EXIT.failed;
  }
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const exitCode = await run(process.argv.slice(2), process.cwd(), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = exitCode;
