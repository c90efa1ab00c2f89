import type { FileInfo } from '../../../../mesos/files';

/**
 * Whether an `ls -l` mode string is a directory. Same rule as `isDirectoryMode` in src/mesos/files.ts,
 * repeated here because that module also holds the zod schemas, which would otherwise ship to the browser.
 */
export function isDirectory(file: Pick<FileInfo, 'mode'>): boolean {
  return file.mode.startsWith('d');
}

/** Directories first, then by path (the Mesos UI's `orderBy:['-mode','path']`). */
export function sortFiles(files: readonly FileInfo[]): FileInfo[] {
  return [...files].sort((a, b) => {
    const dirA = isDirectory(a);
    const dirB = isDirectory(b);
    if (dirA !== dirB) return dirA ? -1 : 1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}
