import { createReadStream } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import type { Stats } from 'node:fs';
import { contentTypeFor, fileInfo, groupName, userName } from './file-info';
import { jsonResult, textResult } from './http-server';
import type { RouteHandler, RouteResult } from './http-server';

/** Mesos caps each `/files/read` at 16 pages (4 KiB pages). */
export const MAX_READ_LENGTH = 65536;

/** v1 `FileInfo`: the mode as a number and `mtime` as a `TimeInfo`. */
export interface FileInfoV1 {
  path: string;
  nlink: number;
  size: number;
  mtime: { nanoseconds: number };
  mode: number;
  uid: string;
  gid: string;
}

function fileInfoV1(path: string, stats: Stats): FileInfoV1 {
  return {
    path,
    nlink: stats.nlink,
    size: stats.size,
    mtime: { nanoseconds: Math.floor(stats.mtimeMs / 1000) * 1e9 },
    mode: stats.mode,
    uid: userName(stats.uid),
    gid: groupName(stats.gid),
  };
}

interface Resolved {
  virtualPath: string;
  realPath: string;
}

class FilesError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `/files/*` endpoints of a Mesos daemon. Only attached paths are served: an attached
 * directory's subtree (after resolving symlinks, so nothing can escape it) or an attached file.
 */
export class FileAttachments {
  private readonly attached = new Map<string, string>();

  /** Makes `realPath` readable under the virtual path `virtualPath`. */
  attach(virtualPath: string, realPath: string): void {
    this.attached.set(posix.normalize(virtualPath), realPath);
  }

  /** Removes a previously attached virtual path. */
  detach(virtualPath: string): void {
    this.attached.delete(posix.normalize(virtualPath));
  }

  /** The `/files/debug` map of virtual path to real path. */
  debug(): Record<string, string> {
    return Object.fromEntries(this.attached);
  }

  /** Route handlers for `/files/browse`, `/files/read`, `/files/download` and `/files/debug`. */
  routes(): [string, RouteHandler][] {
    return [
      ['/files/browse', (url) => this.guard(() => this.browse(url))],
      ['/files/read', (url) => this.guard(() => this.read(url))],
      ['/files/download', (url) => this.guard(() => this.download(url))],
      ['/files/debug', () => jsonResult(this.debug())],
    ];
  }

  private async guard(fn: () => Promise<RouteResult>): Promise<RouteResult> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof FilesError) return textResult(error.status, error.message);
      throw error;
    }
  }

  private async browse(url: URL): Promise<RouteResult> {
    return jsonResult((await this.listing(requirePath(url))).map(([path, stats]) => fileInfo(path, stats)));
  }

  /**
   * What `browse` lists: a directory's entries sorted by path; a file lists nothing, as in Mesos (its
   * `os::ls` of a file fails and the listing stays empty).
   */
  private async listing(path: string): Promise<[string, Stats][]> {
    const { virtualPath, realPath } = await this.resolve(path);
    const stats = await stat(realPath);
    if (!stats.isDirectory()) return [];
    const entries: [string, Stats][] = [];
    for (const name of await readdir(realPath)) {
      try {
        entries.push([posix.join(virtualPath, name), await lstat(posix.join(realPath, name))]);
      } catch {
        // Entry vanished between readdir and lstat (e.g. a task deleting files): skip it.
      }
    }
    return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** LIST_FILES of the v1 operator API: v1 `FileInfo`s, or the status and text Mesos answers. */
  async listV1(path: string): Promise<FileInfoV1[] | { status: number; message: string }> {
    try {
      return (await this.listing(path)).map(([entry, stats]) => fileInfoV1(entry, stats));
    } catch (error) {
      if (error instanceof FilesError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  /** READ_FILE of the v1 operator API: the file's size and up to 64 KiB of it from `offset`. */
  async readV1(
    path: string,
    offset: number,
    length: number | undefined,
  ): Promise<{ size: number; data: Buffer } | { status: number; message: string }> {
    try {
      const { realPath } = await this.resolve(path);
      const handle = await open(realPath, 'r');
      try {
        const stats = await handle.stat();
        if (stats.isDirectory()) return { status: 400, message: 'Cannot read a directory.\n' };
        const size = stats.size;
        const wanted = Math.max(0, Math.min(length ?? size - offset, MAX_READ_LENGTH, size - offset));
        const buffer = Buffer.alloc(wanted);
        const { bytesRead } = wanted > 0 ? await handle.read(buffer, 0, wanted, offset) : { bytesRead: 0 };
        return { size, data: buffer.subarray(0, bytesRead) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (error instanceof FilesError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  private async read(url: URL): Promise<RouteResult> {
    const path = requirePath(url);
    const offset = parseNumber(url, 'offset');
    const length = parseNumber(url, 'length');
    const { realPath } = await this.resolve(path);
    const handle = await open(realPath, 'r');
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw new FilesError(400, 'Cannot read a directory.\n');
      const size = stats.size;
      if (offset === -1) return jsonResult({ offset: size, data: '' });
      if (offset >= size) return jsonResult({ offset, data: '' });
      const wanted = Math.min(length === -1 ? size - offset : length, MAX_READ_LENGTH, size - offset);
      const buffer = Buffer.alloc(wanted);
      const { bytesRead } = await handle.read(buffer, 0, wanted, offset);
      return rawReadResult(url, offset, buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }

  private async download(url: URL): Promise<RouteResult> {
    const { realPath } = await this.resolve(requirePath(url));
    const stats = await stat(realPath);
    if (stats.isDirectory()) throw new FilesError(400, 'Cannot download a directory.\n');
    const name = basename(realPath);
    return {
      kind: 'stream',
      write: (req, res) =>
        new Promise<void>((resolve) => {
          res.writeHead(200, {
            'Content-Type': contentTypeFor(name),
            'Content-Length': stats.size,
            'Content-Disposition': `attachment; filename=${name}`,
          });
          if (req.method === 'HEAD') {
            res.end();
            resolve();
            return;
          }
          const stream = createReadStream(realPath, { start: 0, end: Math.max(0, stats.size - 1) });
          if (stats.size === 0) {
            stream.destroy();
            res.end();
            resolve();
            return;
          }
          stream.on('error', () => {
            res.destroy();
            resolve();
          });
          stream.on('end', resolve);
          stream.pipe(res);
        }),
    };
  }

  /** Maps a requested virtual path to a real path inside an attachment, or throws 404. */
  private async resolve(requested: string): Promise<Resolved> {
    if (requested.includes('\0')) throw new FilesError(400, 'Path contains a NUL byte.\n');
    if (!requested.startsWith('/')) throw notFound(requested);
    let virtualPath = posix.normalize(requested);
    if (virtualPath.length > 1 && virtualPath.endsWith('/')) virtualPath = virtualPath.slice(0, -1);

    let best: [string, string] | undefined;
    for (const [prefix, real] of this.attached) {
      const matches = virtualPath === prefix || virtualPath.startsWith(prefix === '/' ? '/' : `${prefix}/`);
      if (matches && (!best || prefix.length > best[0].length)) best = [prefix, real];
    }
    if (!best) throw notFound(requested);
    const [prefix, attachedReal] = best;
    const rest = virtualPath.slice(prefix.length);
    try {
      const base = await realpath(attachedReal);
      const realPath = await realpath(posix.join(attachedReal, rest));
      if (realPath !== base && !realPath.startsWith(base.endsWith('/') ? base : `${base}/`)) {
        throw notFound(requested);
      }
      return { virtualPath, realPath };
    } catch (error) {
      if (error instanceof FilesError) throw error;
      throw notFound(requested);
    }
  }
}

/**
 * `{"offset": n, "data": "<bytes>"}` exactly as Mesos 1.x writes it: the file's bytes go into the JSON string
 * as they are (only `"`, `\\` and control characters are escaped), so a read may end inside a UTF-8
 * character and binary data makes the JSON invalid UTF-8 (Mesos's docs/sandbox.md warns about this).
 * Latin-1 maps every byte to one character and back, which lets JSON.stringify do the escaping.
 */
function rawReadResult(url: URL, offset: number, bytes: Buffer): RouteResult {
  const json = Buffer.from(JSON.stringify({ offset, data: bytes.toString('latin1') }), 'latin1');
  const jsonp = url.searchParams.get('jsonp');
  const body = jsonp === null ? json : Buffer.concat([Buffer.from(`${jsonp}(`), json, Buffer.from(');')]);
  return {
    kind: 'stream',
    write: (req, res) => {
      res.writeHead(200, {
        'Content-Type': jsonp === null ? 'application/json' : 'text/javascript',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

function notFound(path: string): FilesError {
  return new FilesError(404, `File not found: ${path}\n`);
}

function requirePath(url: URL): string {
  const path = url.searchParams.get('path');
  if (!path) throw new FilesError(400, "Expecting 'path=value' in query.\n");
  return path;
}

/** Parses `offset`/`length`: absent means -1, anything below -1 or non-integer is a 400. */
function parseNumber(url: URL, name: 'offset' | 'length'): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return -1;
  if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw new FilesError(400, `Failed to parse ${name}: Failed to convert '${raw}' to number.\n`);
  }
  const value = Number(raw);
  if (value < -1) throw new FilesError(400, `Negative ${name} provided: ${value}.\n`);
  return value;
}
