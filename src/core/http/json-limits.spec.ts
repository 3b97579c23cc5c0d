import { describe, expect, it } from '@jest/globals';
import { hasNulChar, jsonByteSize, jsonDepth, nulCharPath } from './json-limits.js';

describe('json limits', () => {
  it('measures depth without recursion, even half a million levels deep', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
    expect(jsonDepth(JSON.parse(`${'['.repeat(500_000)}${']'.repeat(500_000)}`))).toBe(500_000);
  });

  it('measures size in UTF-8 bytes of compact JSON', () => {
    expect(jsonByteSize({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}'));
  });

  it('finds NUL characters in keys and values at any depth', () => {
    expect(hasNulChar({ a: ['ok', { b: 'x\u0000' }] })).toBe(true);
    expect(hasNulChar({ 'k\u0000': 1 })).toBe(true);
    expect(hasNulChar({ a: ['\\u0000 as text is fine'] })).toBe(false);
    expect(nulCharPath({ name: 'ok', tags: ['a', 'b\u0000'] })).toBe('tags.1');
    expect(nulCharPath({ payload: { 'k\u0000': 1 } })).toBe('payload');
    expect(nulCharPath({ a: 'fine' })).toBeNull();
  });
});
