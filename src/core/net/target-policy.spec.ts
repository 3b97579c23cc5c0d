import { describe, expect, it } from '@jest/globals';
import {
  addressProblem,
  allowedAddresses,
  assertUrlAllowed,
  guardedLookup,
  TargetRefusedError,
  targetUrlProblem,
  type HostResolver,
} from './target-policy.js';

const resolvesTo =
  (...addresses: string[]): HostResolver =>
  (host) =>
    host === 'never.example' ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(addresses);

describe('targetUrlProblem', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.170.2/v2/credentials',
    'http://2852039166/',
    'http://0xA9FEA9FE/',
    'http://0251.0376.0251.0376/',
    'http://169.254.169.254.:80/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[fd00:ec2::254]/latest/',
    'http://[fe80::1]/',
    'http://100.100.100.200/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.google.internal./',
    'http://metadata/',
    'http://0.0.0.0:8080/',
  ])('refuses the metadata or link-local target %s', (url) => {
    expect(targetUrlProblem(url)).toEqual(expect.any(String));
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url'])(
    'refuses %s, which is not an absolute http(s) URL',
    (url) => {
      expect(targetUrlProblem(url)).toBe('must be an absolute http or https URL');
    },
  );

  it.each([
    'https://api.example.com/hook',
    'http://127.0.0.1:8080/',
    'http://[::1]:8080/',
    'http://10.0.0.5/',
  ])('accepts %s when no allowlist is set', (url) => {
    expect(targetUrlProblem(url)).toBeNull();
  });

  it('enforces the allowlist with exact hosts and *.suffix wildcards', () => {
    const allow = ['api.example.com', '*.hooks.example.org'];
    expect(targetUrlProblem('https://api.example.com/x', allow)).toBeNull();
    expect(targetUrlProblem('https://API.Example.com./x', allow)).toBeNull();
    expect(targetUrlProblem('https://a.hooks.example.org/x', allow)).toBeNull();
    expect(targetUrlProblem('https://a.b.hooks.example.org/x', allow)).toBeNull();
    expect(targetUrlProblem('https://hooks.example.org/x', allow)).toMatch(/not in HTTP_TARGET/);
    expect(targetUrlProblem('https://evilhooks.example.org/x', allow)).toMatch(/not in/);
    expect(targetUrlProblem('https://api.example.com.evil.io/x', allow)).toMatch(/not in/);
    expect(targetUrlProblem('http://127.0.0.1/', allow)).toMatch(/not in/);
  });

  it('refuses a metadata address even when the allowlist names it', () => {
    expect(targetUrlProblem('http://169.254.169.254/', ['169.254.169.254'])).toMatch(/metadata/);
  });
});

describe('addressProblem', () => {
  it.each(['169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254', 'fe80::a:b', '::'])(
    'refuses %s',
    (a) => {
      expect(addressProblem(a)).toEqual(expect.any(String));
    },
  );

  it.each(['127.0.0.1', '::1', '93.184.216.34', '2606:2800:220:1::1'])('accepts %s', (a) => {
    expect(addressProblem(a)).toBeNull();
  });
});

describe('assertUrlAllowed', () => {
  it('refuses metadata hosts and hosts outside the allowlist, without resolving', () => {
    expect(() => assertUrlAllowed('http://169.254.169.254/latest/', [])).toThrow(
      TargetRefusedError,
    );
    expect(() => assertUrlAllowed('https://other.example/', ['ok.example'])).toThrow(
      /not in HTTP_TARGET_ALLOWLIST/,
    );
    expect(() => assertUrlAllowed('ftp://ok.example/', [])).toThrow(/http or https/);
  });

  it('accepts an allowed URL, also when asked again (memoised per allowlist)', () => {
    expect(() => assertUrlAllowed('https://ok.example/hook', ['ok.example'])).not.toThrow();
    expect(() => assertUrlAllowed('https://ok.example/hook', ['ok.example'])).not.toThrow();
    expect(() => assertUrlAllowed('https://ok.example/hook', ['other.example'])).toThrow(
      /not in HTTP_TARGET_ALLOWLIST/,
    );
  });
});

describe('allowedAddresses', () => {
  it('refuses a DNS name that resolves to a metadata address', async () => {
    await expect(allowedAddresses('evil.example', resolvesTo('169.254.169.254'))).rejects.toThrow(
      TargetRefusedError,
    );
  });

  it('refuses a name when any one of its addresses is refused (v6 mapped)', async () => {
    await expect(
      allowedAddresses('evil.example', resolvesTo('93.184.216.34', '::ffff:a9fe:a9fe')),
    ).rejects.toThrow(/resolves to a refused address/);
  });

  it('returns the addresses of a name that resolves to public addresses', async () => {
    await expect(allowedAddresses('ok.example', resolvesTo('93.184.216.34'))).resolves.toEqual([
      '93.184.216.34',
    ]);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(allowedAddresses('never.example', resolvesTo())).rejects.toThrow(
      /does not resolve/,
    );
    await expect(allowedAddresses('empty.example', resolvesTo())).rejects.toThrow(
      /does not resolve/,
    );
  });

  it('resolves real names with the system resolver (localhost is allowed)', async () => {
    const addresses = await allowedAddresses('localhost');
    expect(addresses.length).toBeGreaterThan(0);
  });
});

describe('guardedLookup (the connect-time check)', () => {
  const lookupOnce = (
    addresses: string[],
    options: { all?: boolean; family?: number },
  ): Promise<{ err: Error | null; address: unknown; family?: number }> =>
    new Promise((resolve) =>
      guardedLookup(resolvesTo(...addresses))('svc.example', options, (err, address, family) =>
        resolve({ err, address, family }),
      ),
    );

  it('hands the connection only allowed addresses, in both callback forms', async () => {
    const all = await lookupOnce(['10.0.0.7', 'fd12::7'], { all: true });
    expect(all.err).toBeNull();
    expect(all.address).toEqual([
      { address: '10.0.0.7', family: 4 },
      { address: 'fd12::7', family: 6 },
    ]);
    const one = await lookupOnce(['10.0.0.7', 'fd12::7'], { family: 6 });
    expect(one).toEqual({ err: null, address: 'fd12::7', family: 6 });
  });

  it('fails the connection when the name now points at a metadata address (rebinding)', async () => {
    const res = await lookupOnce(['169.254.169.254'], { all: true });
    expect(res.err).toBeInstanceOf(TargetRefusedError);
    expect(res.err?.message).toMatch(/refused address/);
  });

  it('refuses a family the name has no address of', async () => {
    const res = await lookupOnce(['10.0.0.7'], { family: 6 });
    expect(res.err?.message).toMatch(/no IPv6 address/);
  });
});
