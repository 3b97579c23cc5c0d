import { describe, expect, it } from '@jest/globals';
import {
  expectBodyProblem,
  responseProblem,
  statusAccepted,
  successStatusProblem,
} from './success-criteria.js';

describe('success criteria', () => {
  it('accepts codes and classes, and only those', () => {
    expect(statusAccepted(204, ['2xx'])).toBe(true);
    expect(statusAccepted(304, ['2xx'])).toBe(false);
    expect(statusAccepted(304, ['2xx', 304])).toBe(true);
    expect(statusAccepted(302, ['3xx'])).toBe(true);
    expect(statusAccepted(500, [200, '4xx'])).toBe(false);
  });

  it('validates status entries', () => {
    expect(successStatusProblem(200)).toBeNull();
    expect(successStatusProblem('5xx')).toBeNull();
    expect(successStatusProblem(99)).not.toBeNull();
    expect(successStatusProblem(200.5)).not.toBeNull();
    expect(successStatusProblem('2XX')).not.toBeNull();
    expect(successStatusProblem('6xx')).not.toBeNull();
    expect(successStatusProblem(true)).not.toBeNull();
  });

  it('matches substrings literally and /regex/ with flags', () => {
    expect(responseProblem(200, 'a.b', { expectBody: 'a.b' })).toBeNull();
    expect(responseProblem(200, 'axb', { expectBody: 'a.b' })).toMatch(/does not contain "a.b"/);
    expect(responseProblem(200, 'STATUS: OK', { expectBody: '/status:\\s*ok/i' })).toBeNull();
    expect(responseProblem(200, 'status: ok', { expectBody: '/^ok$/' })).toMatch(/does not match/);
    expect(responseProblem(200, 'x\nok', { expectBody: '/^ok$/m' })).toBeNull();
    expect(responseProblem(404, 'ok', {})).toBe('HTTP 404 from target (expected 2xx)');
  });

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const body = `${'a'.repeat(4096)}!`;
    const started = performance.now();
    expect(responseProblem(200, body, { expectBody: '/^(a+)+$/' })).toMatch(/does not match/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses patterns RE2 cannot run and oversized expectations', () => {
    expect(expectBodyProblem('/(a)\\1/')).toMatch(/not a supported regular expression/);
    expect(expectBodyProblem('/(?=a)/')).toMatch(/not a supported regular expression/);
    expect(expectBodyProblem('x'.repeat(201))).toMatch(/1\.\.200/);
    expect(expectBodyProblem('/[a-z]+/')).toBeNull();
  });
});
