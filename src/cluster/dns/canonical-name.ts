/**
 * The canonical Mesos-DNS name of one task, `<task>-<hash>-<agent suffix>` (mesos-dns `records/generator.go`):
 * the hash is the first 5 characters of the z-base-32 encoded SHA-1 of the task id, the suffix the last
 * dash-separated part of the agent id, lowercased (`s0` for `...-S0`).
 */
import { createHash } from 'node:crypto';

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** z-base-32 (Zimmermann's human-oriented base 32), as github.com/tv42/zbase32 encodes bytes. */
export function zbase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ZBASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The 5-character hash Mesos-DNS puts in a task's canonical name. */
export function taskIdHash(taskId: string): string {
  return zbase32(createHash('sha1').update(taskId, 'utf8').digest()).slice(0, 5);
}

/** The last dash-separated part of an agent id, lowercased: `...-S3` is `s3`. */
export function agentIdTail(agentId: string): string {
  const fields = agentId.split('-');
  return (fields[fields.length - 1] ?? '').toLowerCase();
}

/** `<task label>-<hash>-<agent suffix>`: the label part of the canonical name, before `.<framework>.<domain>`. */
export function canonicalTaskLabel(taskLabel: string, taskId: string, agentId: string): string {
  return `${taskLabel}-${taskIdHash(taskId)}-${agentIdTail(agentId)}`;
}
