/**
 * Pure helpers that shape what an audit row stores: the changed fields only, with every secret
 * replaced by a marker (so a row says "the password changed" without holding it).
 */

export const REDACTED = '[redacted]';

/** Field names whose values are never stored, at any depth (target headers included). */
const SECRET_NAME =
  /pass(word)?|secret|token|authorization|api[-_]?key|key[-_]?hash|cookie|signature|credential|^key$/i;

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A JSON-safe copy of `value` with secret-named fields replaced by REDACTED. */
export function redact(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (isPlain(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, SECRET_NAME.test(k) ? REDACTED : redact(v)]),
    );
  }
  return value;
}

/** Compared as stored (a changed secret counts as a change), shown redacted. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `{ before, after }` of the fields that differ (a secret field that changed shows as
 * REDACTED on both sides). A create has `before: null`, a delete `after: null`, each whole.
 */
export function auditChanges(
  before: Plain | null | undefined,
  after: Plain | null | undefined,
): { before: Plain | null; after: Plain | null } {
  if (!before || !after) {
    return {
      before: before ? (redact(before) as Plain) : null,
      after: after ? (redact(after) as Plain) : null,
    };
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !same(before[k], after[k]),
  );
  const pick = (o: Plain): Plain =>
    redact(Object.fromEntries(keys.map((k) => [k, o[k] ?? null]))) as Plain;
  return { before: pick(before), after: pick(after) };
}

/** True when the diff names no field (an update that changed nothing). */
export function isEmptyChange(changes: { before: Plain | null; after: Plain | null }): boolean {
  return (
    changes.before !== null &&
    changes.after !== null &&
    Object.keys(changes.before).length === 0 &&
    Object.keys(changes.after).length === 0
  );
}
