import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { TargetRefusedError } from '../scheduler.errors.js';

/** Host names of cloud instance-metadata services, refused before any DNS lookup. */
const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Metadata addresses: link-local v4 (AWS, GCP, Azure 169.254.169.254; ECS 169.254.170.2), AWS v6, Alibaba. */
const METADATA_RANGES: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [
  ipaddr.parseCIDR('169.254.0.0/16'),
  ipaddr.parseCIDR('fd00:ec2::254/128'),
  ipaddr.parseCIDR('100.100.100.200/32'),
];

export type Resolver = (host: string) => Promise<string[]>;

/** Resolutions reused for this long: a burst to one host must not queue thousands of lookups. */
const RESOLVE_CACHE_MS = 10_000;
const resolved = new Map<string, { addresses: string[]; until: number }>();

const systemResolver: Resolver = async (host) => {
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

function isMetadataAddress(address: string): boolean {
  // process() turns ::ffff:169.254.169.254 into its IPv4 form.
  const ip = ipaddr.process(address);
  return METADATA_RANGES.some(
    ([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits),
  );
}

function allowedByList(host: string, allowlist: string[]): boolean {
  return allowlist.some((entry) =>
    entry.startsWith('*.')
      ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1
      : host === entry,
  );
}

/**
 * The one gate in front of every http target call: only http(s), never a cloud metadata address
 * (checked on the resolved addresses, so a DNS name pointing there is refused too), and only
 * hosts of HTTP_TARGET_ALLOWLIST when it is set. Throws TargetRefusedError with the reason.
 */
export async function assertTargetAllowed(
  url: string,
  allowlist: string[],
  resolve: Resolver = systemResolver,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetRefusedError(`target url is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TargetRefusedError(`target url must use http or https`);
  }
  const host = parsed.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) {
    throw new TargetRefusedError(`target host ${host} is a cloud metadata service`);
  }
  if (allowlist.length > 0 && !allowedByList(host, allowlist)) {
    throw new TargetRefusedError(`target host ${host} is not in HTTP_TARGET_ALLOWLIST`);
  }
  const addresses = ipaddr.isValid(host) ? [host] : await resolve(host);
  if (addresses.some(isMetadataAddress)) {
    throw new TargetRefusedError(`target host ${host} resolves to a cloud metadata address`);
  }
}
