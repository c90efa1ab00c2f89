import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CredentialsError, parseCredentials } from './credentials';

const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('parseCredentials', () => {
  it.each([
    ['principal:secret', 'ops:s3:cr:et', 'ops', 's3:cr:et'],
    ['a Mesos --credentials text line', 'ops  s3cret\nother x\n', 'ops', 's3cret'],
    ['JSON', '{"principal": "ops", "secret": "s3cret"}', 'ops', 's3cret'],
    [
      'a Mesos --credentials JSON file',
      '{"credentials": [{"principal": "ops", "secret": "s3cret"}]}',
      'ops',
      's3cret',
    ],
  ])('reads %s', (_form, text, principal, secret) => {
    const credentials = parseCredentials(text, 'the file');
    expect(credentials.principal).toBe(principal);
    expect(decode(credentials.authorization())).toBe(`${principal}:${secret}`);
  });

  it('keeps the secret out of every printed form', () => {
    const credentials = parseCredentials('ops:hunter2', 'env');
    const printed = [
      String(credentials),
      `${credentials}`,
      JSON.stringify({ credentials }),
      inspect(credentials),
      inspect({ nested: { credentials } }, { depth: 5 }),
    ];
    for (const text of printed) {
      expect(text).toContain('ops');
      expect(text).not.toContain('hunter2');
    }
  });

  it.each([[''], ['justonetoken'], ['{"principal": "ops"}'], ['{not json']])(
    'refuses %j with an error naming the source only',
    (text) => {
      expect(() => parseCredentials(text, '/etc/creds')).toThrow(CredentialsError);
      expect(() => parseCredentials(text, '/etc/creds')).toThrow(/\/etc\/creds/);
    },
  );
});
