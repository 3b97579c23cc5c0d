import { describe, expect, it } from '@jest/globals';
import { auditChanges, isEmptyChange, redact, REDACTED } from './audit-diff.js';

describe('auditChanges', () => {
  it('keeps only the fields that differ, on both sides', () => {
    expect(
      auditChanges(
        { name: 'a', cron: '0 3 * * *', tags: ['x'], version: 1 },
        { name: 'a', cron: '*/5 * * * *', tags: ['x'], version: 2 },
      ),
    ).toEqual({
      before: { cron: '0 3 * * *', version: 1 },
      after: { cron: '*/5 * * * *', version: 2 },
    });
  });

  it('treats a field missing on one side as null and compares nested values whole', () => {
    expect(auditChanges({ t: { a: 1 } }, { t: { a: 1 }, added: 'x' })).toEqual({
      before: { added: null },
      after: { added: 'x' },
    });
    expect(auditChanges({ t: { a: 1 } }, { t: { a: 2 } })).toEqual({
      before: { t: { a: 1 } },
      after: { t: { a: 2 } },
    });
  });

  it('shows a changed secret as redacted on both sides, and an unchanged one not at all', () => {
    expect(
      auditChanges({ passwordHash: 'h1', role: 'a' }, { passwordHash: 'h2', role: 'a' }),
    ).toEqual({ before: { passwordHash: REDACTED }, after: { passwordHash: REDACTED } });
    expect(isEmptyChange(auditChanges({ passwordHash: 'h1' }, { passwordHash: 'h1' }))).toBe(true);
  });

  it('stores a create or a delete whole, redacted', () => {
    expect(auditChanges(null, { name: 'n', secret: 's' })).toEqual({
      before: null,
      after: { name: 'n', secret: REDACTED },
    });
    expect(isEmptyChange(auditChanges({ a: 1 }, null))).toBe(false);
  });
});

describe('redact', () => {
  it('replaces secret-named fields at any depth and inside arrays, whatever their case', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    expect(
      redact({
        target: { headers: { Authorization: 'Bearer x', 'X-Api-Key': 'k', 'X-Team': 'data' } },
        payload: [{ token: 't', n: 1 }],
        password: 'p',
        key_hash: 'h',
        at,
        none: undefined,
      }),
    ).toEqual({
      target: { headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, 'X-Team': 'data' } },
      payload: [{ token: REDACTED, n: 1 }],
      password: REDACTED,
      key_hash: REDACTED,
      at: '2026-01-01T00:00:00.000Z',
    });
  });
});
