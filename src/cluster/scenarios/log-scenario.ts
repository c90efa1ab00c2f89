/**
 * Marathon apps of the demo whose output exercises the file viewer: ANSI colours, fast output, a log that is
 * rotated (copytruncate) while it is followed, timestamped instances to merge, and a sandbox holding an
 * empty file, binary and invalid UTF-8 files, a 1 MiB line without a newline, a 50 MB log and a file that
 * only appears 30 s after the task started. Plain POSIX `sh` plus coreutils, as on a Mesos agent.
 */

/** A Marathon-style app (the demo keeps `instances` copies running). */
export interface LogDemoApp {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  ports: number;
  cmd: string;
}

/** The escape character, written by the shell's printf as the octal escape `\033`. */
const ESC = String.raw`\033`;

const ANSI_CMD = [
  String.raw`printf 'escaped, never markup: <b>bold?</b> & <script>alert(1)</script>\n'`,
  'i=0',
  'while true; do',
  '  i=$((i+1))',
  String.raw`  printf '${ESC}[32mINFO${ESC}[0m  request %d served in %d ms\n' $i $((i * 37 % 250))`,
  String.raw`  if [ $((i % 3)) -eq 0 ]; then printf '${ESC}[1;33mWARN${ESC}[0m  slow answer for request %d\n' $i; fi`,
  String.raw`  if [ $((i % 5)) -eq 0 ]; then printf '${ESC}[1;31mERROR${ESC}[0m ${ESC}[4mupstream timeout${ESC}[24m on request %d\n' $i >&2; fi`,
  String.raw`  if [ $((i % 4)) -eq 1 ]; then printf '${ESC}[38;5;208m256 colours${ESC}[0m ${ESC}[38;2;80;160;255mtrue colour${ESC}[0m ${ESC}[3mitalic${ESC}[0m ${ESC}[2mfaint${ESC}[0m ${ESC}[7minverse${ESC}[0m ${ESC}[44;97m white on blue ${ESC}[0m\n'; fi`,
  '  sleep 2',
  'done',
].join('\n');

/** 100 numbered lines a second; ends after 60,000 lines (Marathon starts it again in a new sandbox). */
const FAST_CMD = [
  'i=0',
  'while [ $i -lt 60000 ]; do',
  `  seq -f "fast %09g $(date -u +%H:%M:%S) the quick brown fox jumps over the lazy dog" $((i+1)) $((i+100))`,
  '  i=$((i+100))',
  '  sleep 1',
  'done',
].join('\n');

/** A line every half second; every 60 lines, logrotate's copytruncate: copy stdout to stdout.1, empty it. */
const ROTATE_CMD = [
  'i=0',
  'while true; do',
  '  i=$((i+1))',
  '  echo "rotating log line $i"',
  '  if [ $((i % 60)) -eq 0 ]; then cp stdout stdout.1 && : > stdout; echo "rotated after line $i (copytruncate)"; fi',
  '  sleep 0.5',
  'done',
].join('\n');

/** Timestamped lines at uneven intervals, so that instances interleave when merged by time. */
const TICKER_CMD = [
  'n=0',
  'while true; do',
  '  n=$((n+1))',
  '  echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) $MESOS_TASK_ID tick $n"',
  '  sleep $((n % 3 + 1))',
  'done',
].join('\n');

/** Lines of about 84 bytes in big.log: 600,000 of them make a 50 MB file, written by seq in a fraction of a second. */
export const BIG_LOG_LINES = 600_000;

const FILES_CMD = [
  ': > empty.log',
  'head -c 4096 /dev/urandom > binary.dat',
  String.raw`printf 'valid line\n\377\376 invalid bytes, then a broken sequence \303\050 here\nlatin-1 caf\351\nutf-8 café ünïcödé 日本語 😀\nNUL\000byte, a bell\007 and a tab\t| end\n' > invalid-utf8.log`,
  String.raw`printf 'a short line, then one of 1 MiB without a newline\n' > long-line.log`,
  "head -c 1048576 /dev/zero | tr '\\000' x >> long-line.log",
  `seq -f 'line %09g of big.log: lorem ipsum dolor sit amet, consectetur adipiscing elit' 1 ${BIG_LOG_LINES} > big.log`,
  'echo "files written; late.log appears in 30 s"',
  'sleep 30',
  'echo "this file appeared 30 s after the task started" > late.log',
  'echo "late.log written"',
  'exec sleep 2147483647',
].join('\n');

/** The log demo apps, added to the demo's Marathon apps. */
export const LOG_DEMO_APPS: LogDemoApp[] = [
  { id: 'logs-ansi', instances: 1, cpus: 0.1, mem: 16, disk: 10, ports: 0, cmd: ANSI_CMD },
  { id: 'logs-fast', instances: 1, cpus: 0.1, mem: 16, disk: 100, ports: 0, cmd: FAST_CMD },
  { id: 'logs-rotate', instances: 1, cpus: 0.1, mem: 16, disk: 10, ports: 0, cmd: ROTATE_CMD },
  { id: 'logs-ticker', instances: 3, cpus: 0.1, mem: 16, disk: 10, ports: 0, cmd: TICKER_CMD },
  { id: 'logs-files', instances: 1, cpus: 0.1, mem: 16, disk: 100, ports: 0, cmd: FILES_CMD },
];
