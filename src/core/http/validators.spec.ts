import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  headersProblem,
  httpUrlProblem,
  IsOmittable,
  IsTimeZone,
  jsonProblem,
} from './validators.js';

class Sample {
  @IsOmittable()
  @IsTimeZone()
  zone?: string;
}

const messages = (plain: object): string[] =>
  validateSync(plainToInstance(Sample, plain)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('validators', () => {
  it('IsTimeZone accepts IANA zones only; IsOmittable lets absence through but not null', () => {
    expect(messages({ zone: 'America/New_York' })).toEqual([]);
    expect(messages({ zone: 'EST5EDT' })).toEqual([]);
    expect(messages({ zone: 'Mars/Olympus' })).toHaveLength(1);
    expect(messages({})).toEqual([]);
    expect(messages({ zone: null })).toHaveLength(1);
  });

  it.each([
    ['https://hooks.example.com/a?b=1', null],
    ['http://127.0.0.1:8080/x', null],
    ['ftp://example.com', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['/relative', 'must be a valid absolute URL'],
    ['https://user:pw@example.com', 'must not contain credentials (use headers)'],
    ['http://169.254.169.254/latest', 'must not point at a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'must not point at a cloud metadata address'],
    ['http://METADATA.google.internal./x', 'must not point at a cloud metadata address'],
  ])('httpUrlProblem(%p) = %p', (url, problem) => {
    expect(httpUrlProblem(url)).toBe(problem);
  });

  it('headersProblem bounds names, values and count', () => {
    expect(headersProblem({ 'X-A': 'b' }, 2, 10)).toBeNull();
    expect(headersProblem({ 'bad name': 'b' }, 2, 10)).toMatch(/invalid header name/);
    expect(headersProblem({ a: 'b', c: 'd', e: 'f' }, 2, 10)).toMatch(/at most 2/);
    expect(headersProblem({ a: 'x'.repeat(11) }, 2, 10)).toMatch(/at most 10 characters/);
    expect(headersProblem({ a: 'x\ny' }, 2, 10)).toMatch(/single-line/);
    expect(headersProblem(['a'], 2, 10)).toMatch(/object/);
  });

  it('jsonProblem bounds size and depth', () => {
    expect(jsonProblem({ a: { b: 1 } }, 100, 2)).toBeNull();
    expect(jsonProblem({ a: { b: { c: 1 } } }, 100, 2)).toMatch(/at most 2 levels/);
    expect(jsonProblem([[[]]], 100, 2)).toMatch(/levels/);
    expect(jsonProblem({ a: 'x'.repeat(100) }, 100, 5)).toMatch(/at most 100 bytes/);
  });
});
