import { describe, expect, it } from 'vitest';
import { loadMarathonCredentials } from './marathon-credentials';

describe('loadMarathonCredentials', () => {
  it('reads the file, else the variable, in the forms Mesos credentials take', () => {
    const read = (path: string) => (path === 'creds' ? 'ops:s3cret:with:colons\n' : '');
    expect(loadMarathonCredentials(null, undefined, read)).toBeNull();
    expect(loadMarathonCredentials('creds', 'other:x', read)?.principal).toBe('ops');
    const inline = loadMarathonCredentials(null, '{"principal": "ci", "secret": "hunter2"}', read);
    expect(inline?.authorization()).toBe(`Basic ${Buffer.from('ci:hunter2').toString('base64')}`);
  });

  it('names the flag and the file when it cannot be used, never the secret', () => {
    const missing = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(() => loadMarathonCredentials('/etc/marathon-creds', undefined, missing)).toThrow(
      '--marathon-credentials-file: cannot read /etc/marathon-creds (ENOENT)',
    );
    let message = '';
    try {
      loadMarathonCredentials(null, 'hunter2', () => '');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^MESOSCOPE_MARATHON_CREDENTIALS: /);
    expect(message).not.toContain('hunter2');
  });
});
