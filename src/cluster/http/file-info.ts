import { readFileSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** One `/files/browse` entry, exactly the v0 `FileInfo` model. */
export interface FileInfoJson {
  path: string;
  nlink: number;
  size: number;
  mtime: number;
  mode: string;
  uid: string;
  gid: string;
}

/** `ls -l` style mode string, e.g. `drwxr-xr-x`. */
export function modeString(mode: number): string {
  const type = mode & 0o170000;
  const kind =
    type === 0o040000
      ? 'd'
      : type === 0o120000
        ? 'l'
        : type === 0o020000
          ? 'c'
          : type === 0o060000
            ? 'b'
            : type === 0o010000
              ? 'p'
              : type === 0o140000
                ? 's'
                : '-';
  const bits = 'rwxrwxrwx';
  let perms = '';
  for (let i = 0; i < 9; i++) perms += mode & (1 << (8 - i)) ? bits[i] : '-';
  return kind + perms;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

function readNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
    }
  } catch {
    // No passwd/group database (e.g. minimal containers): fall back to numeric ids.
  }
  return names;
}

/** User name for a uid, or the numeric id as a string. */
export function userName(uid: number): string {
  users ??= readNames('/etc/passwd');
  return users.get(uid) ?? String(uid);
}

/** Group name for a gid, or the numeric id as a string. */
export function groupName(gid: number): string {
  groups ??= readNames('/etc/group');
  return groups.get(gid) ?? String(gid);
}

/** Builds the browse entry for `virtualPath` from its `lstat` result. */
export function fileInfo(virtualPath: string, stats: Stats): FileInfoJson {
  return {
    path: virtualPath,
    nlink: stats.nlink,
    size: stats.size,
    mtime: Math.floor(stats.mtimeMs / 1000),
    mode: modeString(stats.mode),
    uid: userName(stats.uid),
    gid: groupName(stats.gid),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/x-yaml',
  yml: 'application/x-yaml',
  sh: 'application/x-sh',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  zip: 'application/zip',
  jar: 'application/java-archive',
};

/** Content-Type guessed from the file extension, else `application/octet-stream`. */
export function contentTypeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'application/octet-stream';
  return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
