import { describe, expect, it } from 'vitest';
import {
  ipv4ToMesosInt,
  masterGroupMembers,
  masterInfoAddress,
  memberName,
  mesosIntToIpv4,
  parseMasterInfo,
  parseZooKeeperUrl,
  redactZooKeeperUrl,
} from './zookeeper';
import { rawFixture } from './test-fixtures';

describe('parseZooKeeperUrl', () => {
  it('reads hosts, default ports, the group path and digest credentials', () => {
    expect(parseZooKeeperUrl('zk://zk1:2181,zk2,10.0.0.3:2182/mesos/')).toEqual({
      servers: 'zk1:2181,zk2:2181,10.0.0.3:2182',
      path: '/mesos',
      digest: null,
    });
    expect(parseZooKeeperUrl('zk://super:pa%3Ass@zk1/dcos/mesos')).toEqual({
      servers: 'zk1:2181',
      path: '/dcos/mesos',
      digest: 'super:pa:ss',
    });
  });

  it.each(['zk://zk1:2181', 'zk://zk1:2181/', 'http://zk1/mesos', 'zk:///mesos', 'zk://zk1:70000/mesos'])(
    'refuses %s',
    (url) => expect(() => parseZooKeeperUrl(url)).toThrow(),
  );

  it('never repeats credentials in its errors or labels', () => {
    expect(redactZooKeeperUrl('zk://admin:hunter2@zk1/mesos')).toBe('zk://zk1/mesos');
    expect(() => parseZooKeeperUrl('zk://admin:hunter2@zk1')).toThrow(/^zk:\/\/zk1 needs a group path/);
  });
});

describe('the master group', () => {
  it('keeps json.info_ members only, lowest sequence (the leader) first', () => {
    const children = [
      'log_replicas',
      memberName(12),
      'info_0000000001',
      memberName(3),
      'json.info_x',
      memberName(7),
    ];
    expect(masterGroupMembers(children)).toEqual([
      { name: 'json.info_0000000003', sequence: 3 },
      { name: 'json.info_0000000007', sequence: 7 },
      { name: 'json.info_0000000012', sequence: 12 },
    ]);
  });

  it('packs IPv4 addresses the way libprocess writes MasterInfo.ip', () => {
    // The 0.22 fixture's master id carries its packed IP: 20150413-190554-<ip>-5050-16324, for 127.0.0.1.
    const state = rawFixture('v0.22.0-datadog/master-state.json') as { id: string; pid: string };
    const packed = Number(state.id.split('-')[2]);
    expect(ipv4ToMesosInt('127.0.0.1')).toBe(packed);
    expect(mesosIntToIpv4(packed)).toBe('127.0.0.1');
  });

  it('finds where a master listens from its MasterInfo, whatever the version wrote', () => {
    const v1 = parseMasterInfo({
      id: 'a',
      hostname: 'master-1.example',
      address: { hostname: 'master-1.example', ip: '10.0.0.1', port: 5050 },
      pid: 'master@10.0.0.1:5050',
      ip: ipv4ToMesosInt('10.0.0.1'),
      port: 5050,
    });
    expect(masterInfoAddress(v1)).toEqual({ host: 'master-1.example', port: 5050 });
    expect(masterInfoAddress(parseMasterInfo({ id: 'b', pid: 'master@10.0.0.2:5051' }))).toEqual({
      host: '10.0.0.2',
      port: 5051,
    });
    expect(
      masterInfoAddress(parseMasterInfo({ id: 'c', ip: ipv4ToMesosInt('10.0.0.3'), port: 5050 })),
    ).toEqual({
      host: '10.0.0.3',
      port: 5050,
    });
    expect(masterInfoAddress(parseMasterInfo({ id: 'd' }))).toBeNull();
    expect(() => parseMasterInfo({ hostname: 'no id' })).toThrow(/MasterInfo/);
  });
});
