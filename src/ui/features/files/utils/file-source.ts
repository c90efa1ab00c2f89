/** Where a file lives: a sandbox (or log) on an agent, or the leading master's log. */
export type FileSource = { kind: 'agent'; agentId: string } | { kind: 'master' };

/** The read-only files passthrough of the mesoscope server for a source. */
export function filesBase(source: FileSource): string {
  return source.kind === 'master' ? '/mesos/files' : `/agent/${encodeURIComponent(source.agentId)}/files`;
}

export function downloadUrl(source: FileSource, path: string): string {
  return `${filesBase(source)}/download?path=${encodeURIComponent(path)}`;
}
