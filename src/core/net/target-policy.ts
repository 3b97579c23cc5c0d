import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors/app-error.js';

/** An http target the policy refuses (metadata address, host outside the allowlist): 400 at the API. */
export class TargetRefusedError extends AppError {
  constructor(message: string) {
    super('TARGET_REFUSED', message, [{ field: 'target.url', message }]);
  }
}

/** Host names that reach a cloud provider's instance metadata service. */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * Addresses that are never called, whatever the allowlist says: link-local (where AWS, GCP,
 * Azure, OCI and DigitalOcean serve metadata and credentials), Alibaba's and AWS's other metadata
 * addresses, the unspecified address, multicast and broadcast. Loopback and private ranges stay
 * callable (sidecars, in-cluster services); HTTP_TARGET_ALLOWLIST narrows further.
 */
const REFUSED_CIDRS = [
  '169.254.0.0/16',
  '100.100.100.200/32',
  '192.0.0.192/32',
  '0.0.0.0/8',
  '224.0.0.0/4',
  '255.255.255.255/32',
  'fe80::/10',
  'fd00:ec2::254/128',
  '::/128',
  'ff00::/8',
].map((cidr) => ipaddr.parseCIDR(cidr));

/** IPv6 forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), NAT64 and IPv4-compatible. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (addr.isIPv4MappedAddress()) {
    return addr.toIPv4Address();
  }
  const parts = addr.parts;
  const nat64 = parts[0] === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((p) => p === 0);
  const compatible = parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7] > 1);
  if (nat64 || compatible) {
    return ipaddr.fromByteArray(addr.toByteArray().slice(12)) as ipaddr.IPv4;
  }
  return null;
}

/** Why an IP address (v4 or v6 text) may not be called, or null when it may. */
export function addressProblem(address: string): string | null {
  if (!ipaddr.isValid(address)) {
    return `"${address}" is not an IP address`;
  }
  let addr = ipaddr.parse(address);
  if (addr.kind() === 'ipv6') {
    addr = embeddedIPv4(addr as ipaddr.IPv6) ?? addr;
  }
  const refused = REFUSED_CIDRS.some(
    ([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits),
  );
  return refused ? `address ${addr.toString()} is a link-local or cloud metadata address` : null;
}

function normalHost(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function allowlisted(host: string, allowlist: string[]): boolean {
  return allowlist.some((entry) => {
    const rule = entry.trim().toLowerCase().replace(/\.$/, '');
    return rule.startsWith('*.') ? host.endsWith(rule.slice(1)) : host === rule;
  });
}

/**
 * Create-time check without I/O: scheme, literal addresses (the WHATWG parser has already turned
 * `http://2852039166/` or `0xA9FEA9FE` into dotted form), metadata names and the allowlist.
 * Returns a message for the client, or null when the URL may be stored.
 */
export function targetUrlProblem(url: URL | string, allowlist: string[] = []): string | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'must be an absolute http or https URL';
  }
  const host = normalHost(parsed);
  if (METADATA_HOSTS.has(host)) {
    return `host ${host} is a cloud metadata service`;
  }
  if (ipaddr.isValid(host)) {
    const problem = addressProblem(host);
    if (problem) {
      return problem;
    }
  }
  if (allowlist.length > 0 && !allowlisted(host, allowlist)) {
    return `host ${host} is not in HTTP_TARGET_ALLOWLIST`;
  }
  return null;
}

/** Resolves a host name to every address it has; injectable so tests need no real DNS. */
export type HostResolver = (host: string) => Promise<string[]>;

/** Resolutions reused for this long: a burst to one host must not queue thousands of lookups. */
const RESOLVE_CACHE_MS = 10_000;
const resolved = new Map<string, { addresses: string[]; until: number }>();

const systemResolver: HostResolver = async (host) => {
  const hit = resolved.get(host);
  if (hit && hit.until > Date.now()) {
    return hit.addresses;
  }
  const addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  if (resolved.size > 10_000) {
    resolved.clear();
  }
  resolved.set(host, { addresses, until: Date.now() + RESOLVE_CACHE_MS });
  return addresses;
};

/** Verdicts of `targetUrlProblem` per (allowlist, url): a burst to one URL parses it once. */
const verdicts = new Map<string, string | null>();
const MAX_VERDICTS = 10_000;

/**
 * Dispatch-time check of the URL itself (scheme, literal addresses, metadata names, allowlist),
 * memoised because it is pure. Throws TargetRefusedError. The addresses a name resolves to are
 * checked when a connection is opened (`guardedLookup`), which is the address actually used.
 */
export function assertUrlAllowed(url: string, allowlist: string[]): void {
  const key = `${allowlist.join(',')} ${url}`;
  let problem = verdicts.get(key);
  if (problem === undefined) {
    problem = targetUrlProblem(url, allowlist);
    if (verdicts.size >= MAX_VERDICTS) {
      verdicts.clear();
    }
    verdicts.set(key, problem);
  }
  if (problem !== null) {
    throw new TargetRefusedError(`target url ${problem}`);
  }
}

/** Resolves `host` and returns its addresses, refusing a name with any refused address. */
export async function allowedAddresses(
  host: string,
  resolve: HostResolver = systemResolver,
): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new TargetRefusedError(`host ${host} does not resolve`);
  }
  if (addresses.length === 0) {
    throw new TargetRefusedError(`host ${host} does not resolve`);
  }
  for (const address of addresses) {
    const refused = addressProblem(address);
    if (refused) {
      throw new TargetRefusedError(`host ${host} resolves to a refused address: ${refused}`);
    }
  }
  return addresses;
}

interface LookupAddress {
  address: string;
  family: number;
}
type LookupCallback = (
  err: Error | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls connect options: the outgoing connection goes only to an address that
 * passed `allowedAddresses`, so a DNS name cannot be re-pointed at a metadata address between
 * the check and the connect (DNS rebinding). Literal IP hosts never reach a lookup; they are
 * checked by `assertUrlAllowed`.
 */
export function guardedLookup(resolve: HostResolver = systemResolver) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: LookupCallback,
  ): void => {
    const family = options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : options.family;
    allowedAddresses(hostname.replace(/^\[|\]$/g, ''), resolve).then(
      (addresses) => {
        const all = addresses
          .map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
          .filter((a) => !family || a.family === family);
        if (all.length === 0) {
          callback(new TargetRefusedError(`host ${hostname} has no IPv${family} address`), []);
        } else if (options.all) {
          callback(null, all);
        } else {
          callback(null, all[0].address, all[0].family);
        }
      },
      (e: Error) => callback(e, []),
    );
  };
}
