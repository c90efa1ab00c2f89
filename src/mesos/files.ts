import { z } from 'zod';
import { makeParser } from './parse';

/** One `/files/browse` entry. */
const FileInfoSchema = z.looseObject({
  path: z.string(),
  nlink: z.number().default(0),
  /** Bytes. */
  size: z.number().default(0),
  /** Unix seconds. */
  mtime: z.number().default(0),
  /** `ls -l` style, e.g. `drwxr-xr-x`. */
  mode: z.string(),
  uid: z.string().default(''),
  gid: z.string().default(''),
});
export type FileInfo = z.output<typeof FileInfoSchema>;

/** `GET /files/browse?path=`. */
const BrowseResponseSchema = z.array(FileInfoSchema);

/** `GET /files/read?path=&offset=&length=`; with `offset=-1` the reply's offset is the file size. */
const ReadResponseSchema = z.looseObject({ offset: z.number(), data: z.string() });

/** Parses `GET /files/browse`; throws `MesosParseError`. */
export const parseBrowseResponse = makeParser(BrowseResponseSchema, 'files browse reply');
/** Parses `GET /files/read`; throws `MesosParseError`. */
export const parseReadResponse = makeParser(ReadResponseSchema, 'files read reply');

/** Whether an `ls -l` mode string is a directory. */
export function isDirectoryMode(mode: string): boolean {
  return mode.startsWith('d');
}

/** The last path segment, e.g. `/a/b/stdout` → `stdout`. */
export function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
