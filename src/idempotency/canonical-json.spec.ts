import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './idempotency.interceptor.js';

describe('canonicalJson', () => {
  it('is the same for objects that differ only in key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('tells different values apart, array order included', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({ a: undefined })).toBe('{}');
  });
});
