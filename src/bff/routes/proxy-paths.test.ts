import { describe, expect, it } from 'vitest';
import { checkProxyPath } from './proxy-paths';

describe('checkProxyPath', () => {
  it('forwards read-only master endpoints with their query', () => {
    expect(checkProxyPath('master/state', 'master')).toEqual({ ok: true, path: '/master/state', query: '' });
    expect(checkProxyPath('files/read?path=%2Fmaster%2Flog&offset=0', 'master')).toEqual({
      ok: true,
      path: '/files/read',
      query: '?path=%2Fmaster%2Flog&offset=0',
    });
    expect(checkProxyPath('metrics/snapshot', 'master').ok).toBe(true);
    expect(checkProxyPath('state.json', 'master').ok).toBe(true);
  });

  it('forwards agent endpoints, with or without the libprocess id', () => {
    expect(checkProxyPath('slave(1)/state', 'agent').ok).toBe(true);
    expect(checkProxyPath('slave%281%29/monitor/statistics', 'agent')).toMatchObject({
      ok: true,
      path: '/slave(1)/monitor/statistics',
    });
    expect(checkProxyPath('files/browse?path=/var/lib/mesos', 'agent').ok).toBe(true);
  });

  it('drops jsonp and callback parameters', () => {
    expect(checkProxyPath('master/state?jsonp=alert&x=1', 'master')).toMatchObject({
      ok: true,
      query: '?x=1',
    });
    expect(checkProxyPath('master/state?callback=alert', 'master')).toMatchObject({ ok: true, query: '' });
  });

  it.each([
    ['../etc/passwd'],
    ['files/../../etc/passwd'],
    ['%2e%2e/x'],
    ['%252e%252e/x'],
    ['files\\read'],
    ['files/read%00'],
    ['master/state%0d%0aX-Injected: 1'],
    ['%E0%A4%A'],
  ])('refuses %s', (rest) => {
    expect(checkProxyPath(rest, 'agent').ok).toBe(false);
  });

  it('refuses endpoints that change things or are not Mesos reads', () => {
    for (const rest of [
      'logging/toggle?level=1',
      'profiler/start',
      '__processes__',
      'master/teardown',
      'api/v1',
    ]) {
      expect(checkProxyPath(rest, 'master').ok, rest).toBe(false);
    }
    expect(checkProxyPath('master/state', 'agent').ok).toBe(false);
  });

  it("refuses '..' inside the path parameter of files endpoints", () => {
    expect(checkProxyPath('files/read?path=%2Fsandbox%2F..%2F..%2Fetc%2Fpasswd', 'agent').ok).toBe(false);
    expect(checkProxyPath('files/browse?path=..', 'agent').ok).toBe(false);
    expect(checkProxyPath('files/read?path=%2Fsandbox%2Fa..b', 'agent').ok).toBe(true);
  });

  it('refuses control characters in query values and over-long URLs', () => {
    expect(checkProxyPath('files/read?path=%0d%0a', 'agent').ok).toBe(false);
    expect(checkProxyPath(`files/read?path=${'a'.repeat(9_000)}`, 'agent').ok).toBe(false);
  });
});
