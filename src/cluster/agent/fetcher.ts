/**
 * The agent's fetcher (src/launcher/fetcher.cpp): puts each `CommandInfo.URI` into the sandbox before the
 * command starts. Local files (`file://` or an absolute path) are copied, `http(s)://` downloaded (following
 * redirects, as libcurl does for Mesos), then made executable or extracted. What it does goes to the
 * sandbox's `stderr` as glog lines, as Mesos's fetcher writes them; any failure fails the whole fetch.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { appendFile, chmod, copyFile, mkdir, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { CommandUri } from './launch-contract';

/** Redirects followed before a download gives up (libcurl's are unlimited; a loop must end). */
const MAX_REDIRECTS = 10;
/** A server that sends nothing for this long fails the fetch (Mesos's `--fetcher_stall_timeout` is 1 min). */
const STALL_TIMEOUT_MS = 60_000;

/** Archives the fetcher extracts, with the command that does it. */
const ARCHIVES: ReadonlyArray<{ suffixes: string[]; command: (file: string, dir: string) => string[] }> = [
  {
    suffixes: ['.tar', '.tgz', '.tar.gz', '.tbz2', '.tar.bz2', '.txz', '.tar.xz'],
    command: (file, dir) => ['tar', '-C', dir, '-xf', file],
  },
  { suffixes: ['.zip'], command: (file, dir) => ['unzip', '-o', '-q', file, '-d', dir] },
];

export interface FetchRequest {
  uris: readonly CommandUri[];
  sandbox: string;
  containerId: string;
}

/**
 * Fetches every URI into the sandbox, in order; rejects with an Error whose message says which URI failed
 * and why (the task then fails with REASON_CONTAINER_LAUNCH_FAILED).
 */
export async function fetchUris(request: FetchRequest): Promise<void> {
  const { sandbox } = request;
  const log = (severity: 'I' | 'W' | 'E', source: string, message: string) =>
    appendFile(join(sandbox, 'stderr'), `${glogPrefix(severity, source)} ${message}\n`);
  await log(
    'I',
    'fetcher.cpp:562',
    `Fetcher Info: ${JSON.stringify({
      cache_directory: '',
      items: request.uris.map((uri) => ({ action: 'BYPASS_CACHE', uri })),
      sandbox_directory: sandbox,
    })}`,
  );
  for (const uri of request.uris) {
    await log('I', 'fetcher.cpp:459', `Fetching URI '${uri.value}'`);
    try {
      const fetched = await fetchOne(uri, sandbox, log);
      await log('I', 'fetcher.cpp:618', `Fetched '${uri.value}' to '${fetched}'`);
    } catch (error) {
      const message = `Failed to fetch '${uri.value}': ${(error as Error).message}`;
      await log('E', 'fetcher.cpp:616', message);
      throw new Error(`Failed to fetch all URIs for container '${request.containerId}': ${message}`);
    }
  }
  await log('I', 'fetcher.cpp:623', `Successfully fetched all URIs into '${sandbox}'`);
}

type FetchLog = (severity: 'I' | 'W' | 'E', source: string, message: string) => Promise<void>;

async function fetchOne(uri: CommandUri, sandbox: string, log: FetchLog): Promise<string> {
  await log('I', 'fetcher.cpp:290', `Fetching '${uri.value}' directly into the sandbox directory`);
  const source = uri.value.trimStart();
  const outputFile = uri.output_file ?? uriBasename(source);
  const path = join(sandbox, outputFile);
  const inside = relative(sandbox, path);
  if (isAbsolute(outputFile) || inside === '' || inside.startsWith('..')) {
    throw new Error(`Output file '${outputFile}' is not inside the sandbox`);
  }
  await mkdir(dirname(path), { recursive: true });
  const local = localPath(source);
  if (local !== undefined) {
    try {
      await copyFile(local, path);
    } catch (error) {
      throw new Error(`Failed to copy '${local}': ${(error as NodeJS.ErrnoException).message}`);
    }
  } else if (/^https?:\/\//i.test(source)) {
    await log('I', 'fetcher.cpp:175', `Downloading resource from '${source}' to '${path}'`);
    await download(source, path);
  } else {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1];
    throw new Error(
      scheme
        ? `Unsupported URI scheme '${scheme}' (this agent fetches file://, absolute paths, http:// and https://)`
        : `'${source}' is neither an absolute path nor a URI`,
    );
  }
  if (uri.executable) {
    await chmod(path, 0o755);
  } else if (uri.extract) {
    const archive = ARCHIVES.find((a) => a.suffixes.some((suffix) => path.endsWith(suffix)));
    if (archive) {
      const command = archive.command(path, sandbox);
      await log('I', 'fetcher.cpp:131', `Extracting with command: ${command.join(' ')}`);
      await run(command, path);
      await log('I', 'fetcher.cpp:132', `Extracted '${path}' into '${sandbox}'`);
    } else {
      await log(
        'W',
        'fetcher.cpp:332',
        `Copying instead of extracting resource from URI with 'extract' flag, because it does not seem to be an archive: ${uri.value}`,
      );
    }
  }
  return path;
}

/** `file:///x` and `/x` are local; anything with another scheme is not. */
function localPath(source: string): string | undefined {
  if (source.startsWith('file://')) {
    try {
      return fileURLToPath(source);
    } catch (error) {
      throw new Error(`Malformed file URI: ${(error as Error).message}`);
    }
  }
  return source.startsWith('/') ? source : undefined;
}

/** Mesos names the fetched file after the URI's last path segment (query and fragment dropped). */
function uriBasename(source: string): string {
  let path = source;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    try {
      path = decodeURIComponent(new URL(source).pathname);
    } catch {
      path = source;
    }
  }
  const name = basename(path);
  if (!name || name === '/' || name === '..' || name === '.') {
    throw new Error(`Cannot name a file after '${source}': give it an output_file`);
  }
  return name;
}

async function download(url: string, path: string, redirects = 0): Promise<void> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const get = url.toLowerCase().startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { timeout: STALL_TIMEOUT_MS }, resolve);
    req.on('timeout', () => req.destroy(new Error(`No data for ${STALL_TIMEOUT_MS / 1000} secs`)));
    req.on('error', (error) => reject(new Error(`Error downloading resource: ${error.message}`)));
  });
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status >= 300 && status < 400 && location) {
    res.resume();
    if (redirects >= MAX_REDIRECTS) throw new Error(`Error downloading resource: too many redirects`);
    const next = new URL(location, url).toString();
    if (!/^https?:/i.test(next)) throw new Error(`Error downloading resource: redirected to '${next}'`);
    return download(next, path, redirects + 1);
  }
  if (status !== 200) {
    res.resume();
    throw new Error(`Error downloading resource, received HTTP return code ${status}`);
  }
  try {
    await pipeline(res, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw new Error(`Error downloading resource: ${(error as Error).message}`);
  }
}

/** Runs an extraction command; its output goes nowhere but its failure says what happened. */
function run(command: string[], archive: string): Promise<void> {
  const [program = '', ...args] = command;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `Failed to extract '${archive}': '${program}' is not available on this agent`
            : `Failed to extract '${archive}': ${error.message}`,
        ),
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const how = signal ? `terminated with signal ${signal}` : `exited with status ${code}`;
        const detail = stderr.trim() ? `: ${stderr.trim()}` : '';
        reject(new Error(`Failed to extract '${archive}': '${command.join(' ')}' ${how}${detail}`));
      }
    });
  });
}

/** `I1122 07:17:01.123456 12345 fetcher.cpp:459]`: the prefix glog writes before each message. */
function glogPrefix(severity: string, source: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const micros = String(d.getMilliseconds() * 1000).padStart(6, '0');
  return `${severity}${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${micros} ${String(process.pid).padStart(5, ' ')} ${source}]`;
}
