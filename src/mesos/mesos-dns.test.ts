import { describe, expect, it } from 'vitest';
import { dnsDomainFragment, dnsLabel, dnsLabelRfc952, mesosDnsRecords } from './mesos-dns';

describe('Mesos-DNS labels (RFC 1123 mode)', () => {
  it('lowercases and turns dots, underscores and dashes into dashes', () => {
    expect(dnsLabel('Search')).toBe('search');
    expect(dnsLabel('apiserver.myservice')).toBe('apiserver-myservice');
    expect(dnsLabel('pod_123')).toBe('pod-123');
    expect(dnsLabel('a.c.d_de.')).toBe('a-c-d-de');
  });

  it('drops every other character, and trims dashes at both ends', () => {
    expect(dnsLabel('ChronosTask:nightly-backup')).toBe('chronostasknightly-backup');
    expect(dnsLabel('task 0.0 in stage 0.0 (TID 0)')).toBe('task0-0instage0-0tid0');
    expect(dnsLabel('---a---b---')).toBe('a---b');
    expect(dnsLabel('<img src=x onerror=alert(1)>')).toBe('imgsrcxonerroralert1');
    expect(dnsLabel('‮evil')).toBe('evil');
    expect(dnsLabel('$$$')).toBe('');
  });

  it('cuts at 63 characters, topping up past trailing dashes as Mesos-DNS does', () => {
    const long = 'x'.repeat(100);
    expect(dnsLabel(long)).toBe('x'.repeat(63));
    // 63 characters fit as they are.
    expect(dnsLabel(`hello${'-'.repeat(57)}f`)).toBe(`hello${'-'.repeat(57)}f`);
    // 64: the cut at 63 leaves only dashes after 'hello', so they go and 'f' is appended.
    expect(dnsLabel(`hello${'-'.repeat(58)}f`)).toBe('hellof');
  });

  it('keeps dots between the labels of a framework name', () => {
    expect(dnsDomainFragment('marathon.prod')).toBe('marathon.prod');
    expect(dnsDomainFragment('marathon-0.6.0-dev')).toBe('marathon-0.6.0-dev');
    expect(dnsDomainFragment('..My Framework..x')).toBe('myframework.x');
    expect(dnsDomainFragment('...')).toBe('');
  });
});

describe('Mesos-DNS labels (RFC 952 mode)', () => {
  it('cuts at 24 characters and starts with a letter', () => {
    expect(dnsLabelRfc952('2nd.API-server_of-the-payments-team')).toBe('nd-api-server-of-the-pay');
    expect(dnsLabelRfc952('42')).toBe('');
    expect(dnsDomainFragment('marathon.0prod', dnsLabelRfc952)).toBe('marathon.prod');
  });
});

describe('Mesos-DNS records of a task', () => {
  it('names the A records after the task and framework', () => {
    const records = mesosDnsRecords(
      { name: 'apiserver.myservice', hostPorts: [], discoveryPorts: null },
      'marathon.prod',
    );
    expect(records).toEqual({
      a: 'apiserver-myservice.marathon.prod.mesos',
      agentA: 'apiserver-myservice.marathon.prod.slave.mesos',
      srv: [],
    });
  });

  it('adds tcp and udp SRV records per host port when there is no discovery info', () => {
    const records = mesosDnsRecords({ name: 'search', hostPorts: [31302], discoveryPorts: null }, 'marathon');
    expect(records?.srv.map((r) => r.name)).toEqual([
      '_search._tcp.marathon.slave.mesos',
      '_search._tcp.marathon.mesos',
      '_search._udp.marathon.slave.mesos',
      '_search._udp.marathon.mesos',
    ]);
    expect(records?.srv.every((r) => r.port === 31302 && r.target === 'search.marathon.slave.mesos')).toBe(
      true,
    );
  });

  it('with discovery info: the discovery name, its ports and protocols, and named-port records', () => {
    const records = mesosDnsRecords(
      {
        name: 'web',
        discoveryName: 'Front.End',
        hostPorts: [31000],
        discoveryPorts: [{ number: 80, name: 'http', protocol: 'tcp' }],
      },
      'marathon',
    );
    expect(records?.a).toBe('front-end.marathon.mesos');
    expect(records?.srv).toEqual([
      { name: '_front-end._tcp.marathon.slave.mesos', target: 'front-end.marathon.slave.mesos', port: 31000 },
      { name: '_front-end._udp.marathon.slave.mesos', target: 'front-end.marathon.slave.mesos', port: 31000 },
      { name: '_front-end._tcp.marathon.mesos', target: 'front-end.marathon.mesos', port: 80 },
      { name: '_http._front-end._tcp.marathon.mesos', target: 'front-end.marathon.mesos', port: 80 },
    ]);
  });

  it('has no records when a name leaves nothing valid', () => {
    expect(mesosDnsRecords({ name: '***', hostPorts: [], discoveryPorts: null }, 'marathon')).toBeNull();
    expect(mesosDnsRecords({ name: 'web', hostPorts: [], discoveryPorts: null }, '')).toBeNull();
  });
});
