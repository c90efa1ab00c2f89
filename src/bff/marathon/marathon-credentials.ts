import { readFileSync } from 'node:fs';
import { CredentialsError, parseCredentials } from '../upstream/credentials';
import type { MesosCredentials } from '../upstream/credentials';
import { UpstreamFileError } from '../upstream/upstream-secrets';

/**
 * The credentials for the configured Marathons: `--marathon-credentials-file` (read once, at start), else the
 * same text in MESOSCOPE_MARATHON_CREDENTIALS; errors name the flag or variable and the file, never the secret.
 */
export function loadMarathonCredentials(
  file: string | null,
  inline: string | undefined,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): MesosCredentials | null {
  if (!file && !inline) return null;
  let text: string;
  if (file) {
    try {
      text = read(file);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UpstreamFileError(
        `--marathon-credentials-file: cannot read ${file}${code ? ` (${code})` : ''}`,
      );
    }
  } else {
    text = inline!;
  }
  try {
    return parseCredentials(text, file ?? 'MESOSCOPE_MARATHON_CREDENTIALS');
  } catch (error) {
    if (error instanceof CredentialsError) {
      throw new UpstreamFileError(
        `${file ? '--marathon-credentials-file' : 'MESOSCOPE_MARATHON_CREDENTIALS'}: ${error.message}`,
      );
    }
    throw error;
  }
}
