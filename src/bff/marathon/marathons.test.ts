import { describe, expect, it } from 'vitest';
import { webUiBase } from './marathons';

describe('webUiBase', () => {
  const base = (webui_url: string | undefined) => webUiBase({ id: 'fw-1', webui_url });

  it('takes an http(s) URL of a host name or address and port, as Marathon registers its web UI', () => {
    expect(base('http://10.66.1.156:8080')).toBe('http://10.66.1.156:8080');
    expect(base('http://marathon.example.com:8080/')).toBe('http://marathon.example.com:8080');
    expect(base('https://marathon.example.com')).toBe('https://marathon.example.com:443');
    expect(base('http://[::1]:8080')).toBe('http://[::1]:8080');
  });

  it('refuses anything the cluster could use to send mesoscope elsewhere or change what it asks', () => {
    for (const url of [
      undefined,
      '',
      'ftp://10.0.0.1:8080',
      'file:///etc/passwd',
      'http://user:pw@10.0.0.1:8080',
      'http://10.0.0.1:8080/v2/apps',
      'http://10.0.0.1:8080/?x=1',
      'http://10.0.0.1:8080/#frag',
      'http://exa mple:8080',
      'http://0x7f.1:8080',
      'javascript:alert(1)',
      '10.0.0.1:8080',
    ]) {
      expect(base(url), String(url)).toBeNull();
    }
  });
});
