/**
 * Errors that mean "the database is not there right now" rather than "this query is wrong":
 * connection refused or reset, the server starting up or shutting down, a pool that could not
 * hand out a connection in time. The API answers them 503 with Retry-After; the scheduler keeps
 * the work it holds and tries again instead of giving it up.
 */

/** SQLSTATE class 08 (connection exception) and the operator-intervention / resource codes. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres and pg-pool raise these as plain Errors without a code. */
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|not queryable/i;

/** Seconds a client is told to wait before retrying (the Retry-After header). */
export const DB_RETRY_AFTER_S = 5;

function isUnavailableOne(e: unknown): boolean {
  if (!e || typeof e !== 'object') {
    return false;
  }
  const code = (e as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || SQLSTATES.has(code) || NODE_CODES.has(code))
  ) {
    return true;
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** True when `e`, or what it wraps (TypeORM's driverError, an Error cause), is unavailability. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (isUnavailableOne(cur)) {
      return true;
    }
    const next = cur as { driverError?: unknown; cause?: unknown };
    cur = next.driverError ?? next.cause;
  }
  return false;
}
