import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CredentialsError, parseCredentials } from './credentials';
import type { MesosCredentials } from './credentials';
import type { MesosTlsOptions } from './mesos-client';

/** The file-based parts of the upstream configuration (see config.ts `UpstreamConfig`). */
interface UpstreamFiles {
  credentials: MesosCredentials | null;
  credentialsFile: string | null;
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
}

export class UpstreamFileError extends Error {}

/**
 * Reads the credentials, CA bundle and client certificate files once at start, and checks that each holds what
 * it should, so a wrong path or file fails at once with a message naming the flag and the file (never its
 * contents).
 */
export function loadUpstreamFiles(
  files: UpstreamFiles,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { credentials: MesosCredentials | null; tls: MesosTlsOptions | null } {
  const load = (flag: string, path: string): string => {
    try {
      return read(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UpstreamFileError(`${flag}: cannot read ${path}${code ? ` (${code})` : ''}`);
    }
  };
  let credentials = files.credentials;
  if (files.credentialsFile) {
    try {
      credentials = parseCredentials(
        load('--credentials-file', files.credentialsFile),
        files.credentialsFile,
      );
    } catch (error) {
      if (error instanceof CredentialsError)
        throw new UpstreamFileError(`--credentials-file: ${error.message}`);
      throw error;
    }
  }
  const tls: MesosTlsOptions = {};
  if (files.caFile) {
    tls.ca = load('--ca-file', files.caFile);
    checkCertificate('--ca-file', files.caFile, tls.ca);
  }
  if (files.certFile && files.keyFile) {
    tls.cert = load('--cert-file', files.certFile);
    checkCertificate('--cert-file', files.certFile, tls.cert);
    tls.key = load('--key-file', files.keyFile);
    try {
      createPrivateKey(tls.key);
    } catch {
      throw new UpstreamFileError(`--key-file: ${files.keyFile} is not a PEM private key`);
    }
  }
  return { credentials, tls: Object.keys(tls).length > 0 ? tls : null };
}

function checkCertificate(flag: string, path: string, pem: string): void {
  try {
    new X509Certificate(pem);
  } catch {
    throw new UpstreamFileError(`${flag}: ${path} is not a PEM certificate`);
  }
}
