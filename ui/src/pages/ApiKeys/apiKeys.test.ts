import { describe, expect, it } from 'vitest';
import { expiresAtOf, keyState } from './apiKeys';

const NOW = new Date('2026-12-02T01:00:00.000Z');

describe('expiresAtOf', () => {
  it('counts days from now, or none for never', () => {
    expect(expiresAtOf('30', NOW)).toBe('2027-01-01T01:00:00.000Z');
    expect(expiresAtOf('365', NOW)).toBe('2027-12-02T01:00:00.000Z');
    expect(expiresAtOf('never', NOW)).toBeUndefined();
  });
});

describe('keyState', () => {
  it('tells revoked, expired and active keys apart', () => {
    expect(keyState({ revokedAt: '2026-12-01T00:00:00Z', expiresAt: null }, NOW)).toBe('revoked');
    expect(keyState({ revokedAt: null, expiresAt: '2026-12-02T01:00:00.000Z' }, NOW)).toBe(
      'expired',
    );
    expect(keyState({ revokedAt: null, expiresAt: '2026-12-02T01:00:01.000Z' }, NOW)).toBe(
      'active',
    );
    expect(keyState({ revokedAt: null, expiresAt: null }, NOW)).toBe('active');
  });
});
