import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable } from './db-errors.js';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['server shutting down (57P01)', withCode('57P01')],
    ['server starting up (57P03)', withCode('57P03')],
    ['connection exception class 08', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('looks through TypeORM driverError and Error cause', () => {
    const typeorm = Object.assign(new Error('query failed'), { driverError: withCode('57P01') });
    expect(isDatabaseUnavailable(typeorm)).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('ECONNREFUSED') }))).toBe(
      true,
    );
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a lock timeout', withCode('55P03')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['nothing', undefined],
  ])('does not count %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
