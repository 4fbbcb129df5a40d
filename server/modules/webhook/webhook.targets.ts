import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may be delivered. A tenant chooses the URL, so without this check the server
 * would POST wherever the tenant pointed it (its own loopback, the private network, the cloud's
 * metadata service) and report back what answered: a network scanner for anyone with a key.
 *
 * Refused: every special-purpose address of the IANA IPv4 and IPv6 registries (RFC 6890) that is
 * not globally reachable: unspecified, loopback, private (RFC 1918, unique-local fc00::/7),
 * shared CGN space (RFC 6598, which also holds Alibaba's 100.100.100.200 metadata), link-local
 * (169.254/16 with the AWS/GCP/Azure metadata 169.254.169.254, fe80::/10), multicast, reserved,
 * benchmarking and documentation ranges, AWS's IPv6 metadata fd00:ec2::254; and IPv4 addresses
 * embedded in IPv6 (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) are judged as the IPv4 address they carry. Decimal, hex and octal IPv4 forms
 * (0x7f000001, 2130706433, 0177.0.0.1) are normalised by the WHATWG URL parser before the check.
 *
 * The check runs on the addresses a host name resolves to, at registration and again at every
 * delivery, where the connection goes to the address that was checked (a `lookup` hook), so a
 * DNS answer that changes in between (DNS rebinding) cannot slip through. Redirects are not followed.
 *
 * The operator's allowlist (`RESTOCK_RADAR_WEBHOOK_ALLOW`: `host` or `host:port` entries) exempts
 * on-premises receivers.
 */
const V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  V4.addSubnet(net, prefix, 'ipv4');

const V6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local (private), incl. AWS metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  V6.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address (already validated by isIP). */
function v6Bytes(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
export function embeddedIPv4(address: string): string | null {
  const b = v6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (i: number) => b.slice(i, i + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12); // ::ffff:a.b.c.d
  if (zero(0, 12) && !zero(12, 16) && !(zero(12, 15) && b[15] === 1)) return quad(12); // ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return quad(12); // 64:ff9b::/96
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2); // 2002:aabb:ccdd::/48
  return null;
}

/** True when `address` (an IP literal) must not receive webhooks. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return V4.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const v4 = embeddedIPv4(address);
  if (v4 !== null && V4.check(v4, 'ipv4')) return true;
  return V6.check(address.replace(/%.*$/, ''), 'ipv6');
}

/** Thrown (with code BLOCKED_ADDRESS) when a target resolves to a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'BLOCKED_ADDRESS';
  constructor(readonly host: string) {
    super(`${host} resolves to an address that may not receive webhooks`);
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

export class WebhookTargets {
  private readonly allow: Set<string>;

  /** `allow`: `host` or `host:port` entries (config.webhookAllow), exempt from the address check. */
  constructor(allow: readonly string[] = []) {
    this.allow = new Set(allow.map((e) => e.toLowerCase()));
  }

  /** Whether the operator exempted this URL's host (any port) or host:port. */
  allowed(url: URL): boolean {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const host = url.hostname.toLowerCase();
    return this.allow.has(host) || this.allow.has(`${host}:${port}`);
  }

  /**
   * The registration check: the URL's host, resolved, must have public addresses only (or be on
   * the allowlist). Throws BlockedAddressError; DNS failures are thrown as they come.
   */
  async check(url: URL): Promise<void> {
    if (this.allowed(url)) return;
    const host = bare(url.hostname);
    if (isIP(host)) {
      if (isBlockedAddress(host)) throw new BlockedAddressError(host);
      return;
    }
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a))),
    );
    if (!addresses.length || addresses.some((a) => isBlockedAddress(a.address))) throw new BlockedAddressError(host);
  }

  /**
   * The delivery check, as a `lookup` for http.request: resolves the host, refuses the connection
   * when any address is blocked, and hands the checked addresses to the socket, so the connection
   * goes where the check looked. IP literals never reach a lookup: `check` covers them first.
   */
  lookupFor(url: URL): LookupFunction | undefined {
    if (this.allowed(url)) return undefined;
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        if (!addresses.length || addresses.some((a) => isBlockedAddress(a.address)))
          return callback(new BlockedAddressError(hostname) as unknown as NodeJS.ErrnoException, '', 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}
