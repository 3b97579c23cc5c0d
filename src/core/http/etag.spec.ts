import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '../errors/app-error.js';
import { etagOf, matchesVersion, parseIfMatch, versionsParam } from './etag.js';

describe('If-Match', () => {
  it('parses strong tags, lists, * and a bare number; weak tags never match', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('"3"')).toEqual([3]);
    expect(parseIfMatch('"3", "5" ,7')).toEqual([3, 5, 7]);
    expect(parseIfMatch('W/"3"')).toEqual([]);
    expect(matchesVersion(parseIfMatch('W/"3"'), 3)).toBe(false);
    expect(parseIfMatch(['"1"', '"2"'])).toEqual([1, 2]);
  });

  it('refuses anything else with a 400 naming the header', () => {
    for (const bad of ['', 'abc', '"3', '3"', '"-1"', '"1.5"', ', ,', '*, "1"', '"12345678901"']) {
      expect(() => parseIfMatch(bad)).toThrow(ValidationFailedError);
    }
  });

  it('matches absent and * always, versions exactly', () => {
    expect(matchesVersion(undefined, 4)).toBe(true);
    expect(matchesVersion('*', 4)).toBe(true);
    expect(matchesVersion([3, 4], 4)).toBe(true);
    expect(matchesVersion([3], 4)).toBe(false);
    expect(versionsParam(undefined)).toBeNull();
    expect(versionsParam('*')).toBeNull();
    expect(versionsParam([2])).toEqual([2]);
    expect(etagOf(12)).toBe('"12"');
  });
});
