/** The webhook address policy (server/modules/webhook/webhook.targets.ts), address by address. */
import { describe, expect, it } from 'vitest';
import { embeddedIPv4, isBlockedAddress, WebhookTargets } from '../../server/modules/webhook/webhook.targets';

describe('webhook target addresses', () => {
  it('blocks every non-global range, IPv4 and IPv6', () => {
    for (const a of [
      '0.0.0.0',
      '0.1.2.3',
      '10.0.0.1',
      '100.64.0.1',
      '100.127.255.255',
      '100.100.100.200',
      '127.0.0.1',
      '127.255.255.254',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.192',
      '192.0.2.1',
      '192.168.0.1',
      '198.18.0.1',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fd00:ec2::254',
      'ff02::1',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      '2002:c0a8:101::1',
      'not-an-address',
    ])
      expect(isBlockedAddress(a), a).toBe(true);
  });

  it('lets public addresses through, including public IPv4 inside IPv6', () => {
    for (const a of [
      '8.8.8.8',
      '93.184.215.14',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ])
      expect(isBlockedAddress(a), a).toBe(false);
  });

  it('reads the IPv4 address carried by mapped, compatible, NAT64 and 6to4 IPv6', () => {
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:192.168.1.1')).toBe('192.168.1.1');
    expect(embeddedIPv4('::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2002:a00:1::')).toBe('10.0.0.1');
    expect(embeddedIPv4('2606:4700::1')).toBeNull();
    expect(embeddedIPv4('::1')).toBeNull();
  });

  it('normalises decimal, hex and octal IPv4 hosts through the URL parser before checking', async () => {
    const t = new WebhookTargets();
    for (const u of [
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
    ])
      await expect(t.check(new URL(u)), u).rejects.toMatchObject({ code: 'BLOCKED_ADDRESS' });
  });

  it('exempts allowlisted host and host:port entries only', async () => {
    const t = new WebhookTargets(['127.0.0.1:8080', 'hooks.internal', '[fd00::5]']);
    expect(t.allowed(new URL('http://127.0.0.1:8080/x'))).toBe(true);
    expect(t.allowed(new URL('http://127.0.0.1:8081/x'))).toBe(false);
    expect(t.allowed(new URL('https://HOOKS.internal/x'))).toBe(true);
    expect(t.allowed(new URL('http://[fd00::5]:9000/x'))).toBe(true);
    await expect(t.check(new URL('http://127.0.0.1:8081/x'))).rejects.toMatchObject({ code: 'BLOCKED_ADDRESS' });
    await expect(t.check(new URL('http://127.0.0.1:8080/x'))).resolves.toBeUndefined();
  });
});
