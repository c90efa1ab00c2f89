import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate authority and what it signed, as PEM files and their text. */
export interface TestCertificates {
  dir: string;
  /** The CA certificate: trust it to trust the server. */
  caFile: string;
  ca: string;
  /** Server key and certificate for `localhost` and `127.0.0.1` (masters and agents). */
  serverKey: string;
  serverCert: string;
  /** A client key and certificate signed by the same CA (for masters that require client certificates). */
  clientKeyFile: string;
  clientCertFile: string;
  /** A second CA that signed nothing here: trusting it must not make the server trusted. */
  otherCaFile: string;
  remove(): void;
}

/**
 * Makes a test CA with the `openssl` command-line tool in a fresh temp dir, and signs a server certificate
 * (SAN `localhost`, `127.0.0.1`) and a client certificate with it. Takes well under a second (EC keys).
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'mesoscope-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) =>
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file(name));
  const selfSignedCa = (name: string, cn: string) => {
    key(`${name}.key`);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  };
  const signed = (name: string, cn: string, extensions: string) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${cn}`);
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
    );
  };
  try {
    selfSignedCa('ca', 'mesoscope test CA');
    selfSignedCa('other-ca', 'some other CA');
    signed('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    signed('client', 'mesoscope', 'extendedKeyUsage=clientAuth\n');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl could not make the test certificates${stderr ? `: ${stderr}` : ''}`);
  }
  return {
    dir,
    caFile: file('ca.pem'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    serverKey: readFileSync(file('server.key'), 'utf8'),
    serverCert: readFileSync(file('server.pem'), 'utf8'),
    clientKeyFile: file('client.key'),
    clientCertFile: file('client.pem'),
    otherCaFile: file('other-ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
