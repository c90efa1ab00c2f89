import type { UpstreamProblem } from '../schemas/views';

/**
 * Why a call to a Mesos master or agent failed, in words safe to show a user (never credentials): each of the
 * status's problems but a state that does not match the Mesos contract, which no single call finds.
 */
export type UpstreamErrorKind = Exclude<UpstreamProblem, 'invalid'>;

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

/** Certificate checks that fail because mesoscope does not trust whoever signed the certificate. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Turns whatever undici threw into an UpstreamError naming the target (an origin without userinfo). */
export function toUpstreamError(error: unknown, target: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const tls = describeTlsFailure(code, (error as { message?: unknown } | null)?.message);
  if (tls) return new UpstreamError('tls', `${target}: ${tls}`);
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
    // With TLS 1.3 a server that wants a client certificate closes the connection after the handshake.
    const hint = target.includes('https://')
      ? ' (an https master or agent does that when it wants a client certificate: --cert-file, --key-file)'
      : '';
    return new UpstreamError('unreachable', `${target} closed the connection${hint}`);
  }
  return new UpstreamError('unreachable', `${target} could not be reached`);
}

/** What went wrong in a TLS handshake, and what to do about it; null when the error is not about TLS. */
function describeTlsFailure(code: string, message: unknown): string | null {
  if (UNTRUSTED.has(code)) {
    return `its TLS certificate is not trusted (${code}); give mesoscope the CA that signed it with --ca-file`;
  }
  if (code === 'CERT_HAS_EXPIRED') return 'its TLS certificate has expired';
  if (code === 'CERT_NOT_YET_VALID') return 'its TLS certificate is not valid yet';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'its TLS certificate is not valid for this host name (check the name in --master)';
  }
  const text = typeof message === 'string' ? message : '';
  if (/certificate required|alert bad certificate|alert unknown ca|alert handshake failure/i.test(text)) {
    return 'it refused the TLS handshake: it wants a client certificate signed by a CA it trusts (--cert-file, --key-file)';
  }
  if (
    /wrong version number|packet length too long|http request/i.test(text) ||
    code === 'EPROTO' ||
    code.startsWith('ERR_SSL_')
  ) {
    return 'the TLS handshake failed (does it speak https? check the scheme in --master)';
  }
  return null;
}
