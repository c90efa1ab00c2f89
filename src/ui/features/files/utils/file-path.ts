interface PathSegment {
  name: string;
  /** The absolute path up to and including this segment. */
  path: string;
}

/** One breadcrumb per segment: '/a/b' → [{a, '/a'}, {b, '/a/b'}]. */
export function pathSegments(path: string): PathSegment[] {
  const names = path.split('/').filter((name) => name !== '');
  return names.map((name, index) => ({ name, path: `/${names.slice(0, index + 1).join('/')}` }));
}

export function basename(path: string): string {
  const names = path.split('/').filter((name) => name !== '');
  return names[names.length - 1] ?? '/';
}

export function dirname(path: string): string {
  const names = path.split('/').filter((name) => name !== '');
  return `/${names.slice(0, -1).join('/')}`;
}

/** For a task's `stdout` the path of its `stderr` and the reverse; null for any other file. */
export function siblingStream(path: string): { name: 'stdout' | 'stderr'; path: string } | null {
  const name = basename(path);
  if (name !== 'stdout' && name !== 'stderr') return null;
  const other = name === 'stdout' ? 'stderr' : 'stdout';
  return { name: other, path: `${dirname(path).replace(/\/$/, '')}/${other}` };
}
