import { describe, expect, it } from 'vitest';
import { agentIdTail, canonicalTaskLabel, zbase32 } from './canonical-name';

describe('canonical Mesos-DNS task names', () => {
  it('encodes z-base-32 as Zimmermann specifies it', () => {
    expect(zbase32(Buffer.from('hello'))).toBe('pb1sa5dx');
    expect(zbase32(new Uint8Array([0xf0]))).toBe('6y');
  });

  it('matches the name mesos-dns documents for a task id and agent', () => {
    // From mesos-dns's http.md: task nginx.48dccce7-... on agent ...-S1 is nginx-jhy6r-s1.
    expect(canonicalTaskLabel('nginx', 'nginx.48dccce7-90bc-11e6-ae70-70b3d5800001', 'abc-def-S1')).toBe(
      'nginx-jhy6r-s1',
    );
    expect(agentIdTail('bb4c4a81-bc83-44ee-b5eb-81e42a8e1c30-S12')).toBe('s12');
  });
});
