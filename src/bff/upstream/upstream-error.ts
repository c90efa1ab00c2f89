/** Why a call to a Mesos master or agent failed, in words safe to show a user (never credentials). */
export type UpstreamErrorKind = 'unreachable' | 'timeout' | 'http' | 'malformed' | 'no-leader';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Turns whatever undici threw into an UpstreamError naming the target (an origin without userinfo). */
export function toUpstreamError(error: unknown, target: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new UpstreamError('timeout', `${target} did not answer in time`);
  }
  if (code === 'ECONNREFUSED') return new UpstreamError('unreachable', `${target} refused the connection`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UpstreamError('unreachable', `${target}: host name not found`);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new UpstreamError('unreachable', `${target} closed the connection`);
  }
  return new UpstreamError('unreachable', `${target} could not be reached`);
}
