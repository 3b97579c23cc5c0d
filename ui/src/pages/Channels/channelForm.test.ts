import { describe, expect, it } from 'vitest';
import { bodyFromChannelForm, channelFieldOf, emptyChannel, type Channel } from './channelForm';

const stored: Channel = {
  id: 'c1',
  name: 'ops',
  type: 'slack',
  url: 'https://hooks.slack.com',
  hasSecret: true,
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('bodyFromChannelForm', () => {
  it('creates with the secret when one is typed, without it otherwise', () => {
    const v = { ...emptyChannel(), name: ' ops ', url: ' https://alerts.example.com/x ' };
    expect(bodyFromChannelForm(v)).toEqual({
      name: 'ops',
      type: 'webhook',
      url: 'https://alerts.example.com/x',
    });
    expect(bodyFromChannelForm({ ...v, secret: 's'.repeat(16) }).secret).toBe('s'.repeat(16));
  });

  it('keeps the stored secret and the hidden slack path unless they are changed', () => {
    const unchanged = { ...emptyChannel(), name: 'ops', type: 'slack' as const, url: stored.url };
    expect(bodyFromChannelForm(unchanged, stored)).toEqual({ name: 'ops', type: 'slack' });
    expect(
      bodyFromChannelForm({ ...unchanged, url: 'https://hooks.slack.com/services/T/B/x' }, stored)
        .url,
    ).toBe('https://hooks.slack.com/services/T/B/x');
  });

  it('removes the secret on request, which wins over a typed one', () => {
    const v = {
      ...emptyChannel(),
      url: stored.url,
      secret: 'typed-secret-long',
      removeSecret: true,
    };
    expect(bodyFromChannelForm(v, stored).secret).toBeNull();
  });
});

describe('channelFieldOf', () => {
  it('places the fields the form has and nothing else', () => {
    expect(channelFieldOf('url')).toBe('url');
    expect(channelFieldOf('secret')).toBe('secret');
    expect(channelFieldOf('createdBy')).toBeNull();
  });
});
