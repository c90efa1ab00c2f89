import { describe, expect, it } from 'vitest';
import { agentAddress } from './agent-address';
import { UpstreamError } from './upstream-error';

const agent = (fields: { pid?: string; hostname?: string; port?: number }) => ({
  id: 'S-hostile',
  hostname: 'agent.example',
  ...fields,
});

describe('agentAddress', () => {
  it.each([
    [{ pid: 'slave(1)@10.0.0.5:5051' }, 'http://10.0.0.5:5051', 'slave(1)'],
    [{ pid: 'slave(12)@agent-3.dc1.example.com:5051' }, 'http://agent-3.dc1.example.com:5051', 'slave(12)'],
    [{ pid: 'agent@[fd00::5]:5051' }, 'http://[fd00::5]:5051', 'agent'],
    [{ pid: 'slave(1)@10.0.0.5:80' }, 'http://10.0.0.5:80', 'slave(1)'],
    [{ hostname: 'Agent-7.Example', port: 5051 }, 'http://agent-7.example:5051', 'slave(1)'],
    [{ hostname: '10.1.2.3', port: 5051 }, 'http://10.1.2.3:5051', 'slave(1)'],
    [{ hostname: 'fd00::7', port: 5051 }, 'http://[fd00::7]:5051', 'slave(1)'],
    [{ hostname: '[fd00::7]', port: 5051 }, 'http://[fd00::7]:5051', 'slave(1)'],
  ])('reads %j as %s', (fields, base, processId) => {
    expect(agentAddress(agent(fields))).toEqual({ base, processId });
  });

  it.each([
    // The pid: anything but process@host:port.
    { pid: 'slave(1)@127.0.0.1:15303/evil?' },
    { pid: 'slave(1)@127.0.0.1:15303?x=1' },
    { pid: 'slave(1)@127.0.0.1:15303#frag' },
    { pid: 'slave(1)@user:pw@127.0.0.1:15303' },
    { pid: 'slave(1)@127.0.0.1 :15303' },
    { pid: 'slave(1)@127.0.0.1:99999' },
    { pid: 'slave(1)@127.0.0.1:0' },
    { pid: 'slave(1)@127.0.0.1:+5051' },
    { pid: 'slave(1)@127.0.0.1:5051:5052' },
    { pid: 'slave(1)@fd00::5:5051' },
    { pid: 'slave(1)@[fd00::5%25eth0]:5051' },
    { pid: 'slave(1)@evil.example/x:5051' },
    { pid: 'slave(1)@127.0.0.1%2f:5051' },
    { pid: '@127.0.0.1:5051' },
    { pid: 'slave(1)127.0.0.1:5051' },
    { pid: '../../evil?x=@127.0.0.1:5051' },
    { pid: 'files/download?path=/etc/passwd&x=@127.0.0.1:5051' },
    { pid: 'slave(1)#@127.0.0.1:5051' },
    // A name a URL parser turns into an IPv4 address.
    { pid: 'slave(1)@0x7f.1:5051' },
    { pid: 'slave(1)@2130706433:5051' },
    // The hostname fallback (no pid): a host, nothing else, with a port of its own.
    { pid: '', hostname: '127.0.0.1:15303/evil?', port: 5051 },
    { hostname: '127.0.0.1:15303/evil?', port: 5051 },
    { hostname: 'evil@127.0.0.1', port: 5051 },
    { hostname: 'evil.example#', port: 5051 },
    { hostname: 'evil example', port: 5051 },
    { hostname: 'evil.example', port: 0 },
    { hostname: 'evil.example', port: 70000 },
    { hostname: 'evil.example' },
    { hostname: '', port: 5051 },
    { hostname: '0x7f000001', port: 5051 },
    { hostname: 'évil.example', port: 5051 },
    { hostname: 'a'.repeat(64), port: 5051 },
  ])('refuses %j, naming the agent', (fields) => {
    let thrown: unknown;
    try {
      agentAddress(agent(fields));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect((thrown as UpstreamError).message).toMatch(
      /^agent S-hostile has a (pid|hostname) .* mesoscope does not contact it$/,
    );
  });
});
