import { describe, expect, it } from '@jest/globals';
import { assertTargetAllowed } from './target-policy.js';

const resolveTo =
  (...addresses: string[]) =>
  (): Promise<string[]> =>
    Promise.resolve(addresses);

describe('assertTargetAllowed', () => {
  it('allows a public host and a loopback test receiver', async () => {
    await expect(
      assertTargetAllowed('https://api.example.com/x', [], resolveTo('93.184.216.34')),
    ).resolves.toBeUndefined();
    await expect(assertTargetAllowed('http://127.0.0.1:8080/hook', [])).resolves.toBeUndefined();
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/',
    'http://100.100.100.200/latest/meta-data',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://[::ffff:169.254.169.254]/',
  ])('refuses the metadata address %s', async (url) => {
    await expect(assertTargetAllowed(url, [])).rejects.toMatchObject({ code: 'TARGET_REFUSED' });
  });

  it('refuses a name that resolves to a metadata address', async () => {
    await expect(
      assertTargetAllowed(
        'http://sneaky.example.com/',
        [],
        resolveTo('10.0.0.1', '169.254.169.254'),
      ),
    ).rejects.toThrow(/resolves to a cloud metadata address/);
  });

  it('enforces the allowlist with exact names and *.suffix entries', async () => {
    const list = ['api.example.com', '*.hooks.example.org'];
    const ok = resolveTo('93.184.216.34');
    await expect(
      assertTargetAllowed('https://api.example.com/', list, ok),
    ).resolves.toBeUndefined();
    await expect(
      assertTargetAllowed('https://a.hooks.example.org/', list, ok),
    ).resolves.toBeUndefined();
    await expect(
      assertTargetAllowed('https://hooks.example.org.evil.com/', list, ok),
    ).rejects.toThrow(/ALLOWLIST/);
    await expect(assertTargetAllowed('https://evil.com/', list, ok)).rejects.toThrow(/ALLOWLIST/);
  });

  it('refuses other schemes', async () => {
    await expect(assertTargetAllowed('file:///etc/passwd', [])).rejects.toThrow(/http or https/);
  });
});
