/**
 * `install` and `uninstall`: Marathon apps and groups through the Marathon API. As minimesos did, `${MESOSCOPE_*}`
 * tokens in the file are replaced by where the running cluster's parts answer before it is sent.
 */
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from './cli-error';
import { request } from './http';
import { tokenValues } from './runtime';
import type { ClusterInfo } from './runtime';

/** Replaces every `${MESOSCOPE_*}` token; one it does not know is an error naming it and its line. */
export function replaceTokens(text: string, values: Record<string, string>, source: string): string {
  return text.replace(/\$\{(MESOSCOPE_[A-Z0-9_]*)\}/g, (token, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) {
      throw new CliError(
        `${source}:${lineAt(text, offset)}: unknown token ${token} (known: ${Object.keys(values)
          .map((known) => `\${${known}}`)
          .join(', ')})`,
        EXIT.usage,
      );
    }
    return value;
  });
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Parses a definition: not JSON, or JSON that is not an object, is an error naming the file and line. */
export function parseDefinition(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : `:${lineAt(text, Number(position))}`;
    throw new CliError(`${source}${where}: not JSON: ${message}`, EXIT.usage);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${source}: must be one JSON object (a Marathon app or group)`, EXIT.usage);
  }
  return value as Record<string, unknown>;
}

type DefinitionKind = 'app' | 'group';

/** A definition from stdin is a group when it has apps or groups in it. */
export function kindOf(definition: Record<string, unknown>): DefinitionKind {
  return 'apps' in definition || 'groups' in definition ? 'group' : 'app';
}

function readSource(file: string | null): { text: string; source: string } {
  if (file === null) return { text: readFileSync(0, 'utf8'), source: '<stdin>' };
  try {
    return { text: readFileSync(file, 'utf8'), source: file };
  } catch (error) {
    throw new CliError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`, EXIT.usage);
  }
}

function marathonOf(cluster: ClusterInfo): string {
  if (!cluster.marathon)
    throw new CliError('Marathon does not run in this cluster (services.marathon is off)');
  return cluster.marathon;
}

function idPath(id: string): string {
  return id
    .replace(/^\/+/, '')
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}

export async function install(
  cluster: ClusterInfo,
  options: { kind: DefinitionKind | 'stdin'; file: string | null; update: boolean },
): Promise<string> {
  const { text, source } = readSource(options.file);
  const definition = parseDefinition(replaceTokens(text, tokenValues(cluster), source), source);
  const kind = options.kind === 'stdin' ? kindOf(definition) : options.kind;
  const id = typeof definition['id'] === 'string' ? definition['id'] : '';
  if (id === '') throw new CliError(`${source}: the ${kind} has no "id"`, EXIT.usage);
  const marathon = marathonOf(cluster);
  const collection = kind === 'app' ? 'apps' : 'groups';
  const url = options.update ? `${marathon}/v2/${collection}/${idPath(id)}` : `${marathon}/v2/${collection}`;
  const { status, text: answer } = await request(url, {
    method: options.update ? 'PUT' : 'POST',
    body: definition,
  });
  if (status < 200 || status > 299) {
    const hint = status === 409 && !options.update ? ' (use --update to change it)' : '';
    throw new CliError(`Marathon refused ${kind} ${id} (${status}): ${marathonMessage(answer)}${hint}`);
  }
  const deployment = deploymentOf(answer);
  return `${options.update ? 'updated' : 'installed'} ${kind} ${id}${deployment ? ` (deployment ${deployment})` : ''}`;
}

export async function uninstall(cluster: ClusterInfo, kind: DefinitionKind, id: string): Promise<string> {
  const marathon = marathonOf(cluster);
  const url = `${marathon}/v2/${kind === 'app' ? 'apps' : 'groups'}/${idPath(id)}`;
  const { status, text } = await request(url, { method: 'DELETE' });
  if (status < 200 || status > 299)
    throw new CliError(`Marathon refused to remove ${kind} ${id} (${status}): ${marathonMessage(text)}`);
  const deployment = deploymentOf(text);
  return `removed ${kind} ${id}${deployment ? ` (deployment ${deployment})` : ''}`;
}

function marathonMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: string; details?: { path?: string; errors?: string[] }[] };
    const details = (body.details ?? [])
      .map((detail) => `${detail.path ?? ''} ${(detail.errors ?? []).join(', ')}`.trim())
      .join('; ');
    return [body.message, details].filter(Boolean).join(': ') || text.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

function deploymentOf(text: string): string | null {
  try {
    const body = JSON.parse(text) as { deploymentId?: string; deployments?: { id?: string }[] };
    return body.deploymentId ?? body.deployments?.[0]?.id ?? null;
  } catch {
    return null;
  }
}
