import { BlockList, isIP } from 'node:net';

/**
 * Where HTTP steps may connect (README: `BATON_HTTP_ALLOW`, `BATON_HTTP_DENY`).
 * Entries are CIDRs (`10.0.0.0/8`, `fd00::/8`), single addresses, host names
 * (`metadata.google.internal`), wildcards (`*.corp.example`) or a group:
 * `loopback`, `private`, `link-local`.
 *
 * A target is refused when its host name or any address it would connect to
 * matches a deny entry and no allow entry; allow entries punch holes in the
 * default deny list (`BATON_HTTP_ALLOW=169.254.169.254` if a step really
 * needs the metadata service). Addresses are compared after normalisation:
 * IPv4-mapped and IPv4-compatible IPv6 (`::ffff:127.0.0.1`) as the IPv4
 * address, and the WHATWG URL parser has already turned decimal (`2130706433`)
 * and hex (`0x7f000001`) hosts into dotted quads.
 */
export interface HttpTargetPolicyOptions {
  /** Replaces `DEFAULT_HTTP_DENY` when given (then it is the whole deny list). */
  readonly deny?: readonly string[];
  readonly allow?: readonly string[];
}

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'],
  'link-local': ['169.254.0.0/16', 'fe80::/10'],
};

/**
 * Refused unless allowed: link-local (where clouds serve instance metadata and
 * credentials: 169.254.169.254, AWS's fd00:ec2::254), loopback (the executor's
 * own machine, Baton's API included), the unspecified and multicast ranges,
 * and the metadata host names. Private ranges stay reachable: pipelines call
 * internal services; deny them with `BATON_HTTP_DENY` where that is wrong.
 */
export const DEFAULT_HTTP_DENY: readonly string[] = [
  'link-local',
  'fd00:ec2::254/128',
  'loopback',
  '0.0.0.0/8',
  '::/128',
  '224.0.0.0/4',
  '255.255.255.255/32',
  'ff00::/8',
  'metadata.google.internal',
  'metadata.azure.internal',
];

class TargetList {
  private readonly addresses = new BlockList();
  private readonly names: string[] = [];
  private readonly suffixes: string[] = [];

  constructor(entries: readonly string[], setting: string) {
    for (const entry of entries.flatMap((e) => GROUPS[e.trim().toLowerCase()] ?? [e.trim().toLowerCase()])) {
      if (entry === '') continue;
      const [base, prefix] = entry.split('/');
      const family = isIP(base);
      if (family !== 0) {
        const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
        if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
          throw new Error(`${setting}: '${entry}' has an invalid prefix length`);
        }
        this.addresses.addSubnet(base, bits, family === 4 ? 'ipv4' : 'ipv6');
      } else if (entry.startsWith('*.') && /^[a-z0-9.-]+$/.test(entry.slice(2))) {
        this.suffixes.push(entry.slice(1));
      } else if (/^[a-z0-9.-]+$/.test(entry) && prefix === undefined) {
        this.names.push(entry.replace(/\.$/, ''));
      } else {
        throw new Error(
          `${setting}: '${entry}' is not a CIDR, an address, a host name, *.domain or loopback/private/link-local`,
        );
      }
    }
  }

  hasAddress(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  hasName(host: string): boolean {
    return this.names.includes(host) || this.suffixes.some((suffix) => host.endsWith(suffix));
  }
}

export class HttpTargetPolicy {
  private readonly deny: TargetList;
  private readonly allow: TargetList;

  constructor(options: HttpTargetPolicyOptions = {}) {
    this.deny = new TargetList(options.deny ?? DEFAULT_HTTP_DENY, 'BATON_HTTP_DENY');
    this.allow = new TargetList(options.allow ?? [], 'BATON_HTTP_ALLOW');
  }

  /** Why the URL's host is refused before any lookup (a literal address, a denied name), or undefined. */
  checkHost(hostname: string): string | undefined {
    const host = unbracket(hostname).toLowerCase().replace(/\.$/, '');
    if (isIP(host) !== 0) return this.checkAddress(host);
    if (this.deny.hasName(host) && !this.allow.hasName(host))
      return `host ${host} is refused by this executor's HTTP policy`;
    return undefined;
  }

  /** Why connecting to `address` (what DNS answered, or a literal host) is refused, or undefined. */
  checkAddress(address: string): string | undefined {
    const normal = normalizeAddress(address);
    if (this.deny.hasAddress(normal) && !this.allow.hasAddress(normal)) {
      return `address ${normal} is refused by this executor's HTTP policy (link-local, metadata, loopback and the like; see BATON_HTTP_ALLOW)`;
    }
    return undefined;
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** An IPv6 address that carries an IPv4 one (`::ffff:a.b.c.d`, `::a.b.c.d`) as that IPv4 address. */
export function normalizeAddress(address: string): string {
  const plain = unbracket(address).split('%')[0].toLowerCase();
  if (isIP(plain) !== 6) return plain;
  const groups = expandIPv6(plain);
  const zeros = groups.slice(0, 5).every((g) => g === 0);
  const mapped = zeros && groups[5] === 0xffff;
  const compatible = zeros && groups[5] === 0 && (groups[6] !== 0 || groups[7] > 1);
  if (!mapped && !compatible) return plain;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

function expandIPv6(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}
