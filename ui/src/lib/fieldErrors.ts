import { ApiError } from '../api/client';
import { errorText } from '../components/ErrorText';

/**
 * An API error split for a form: the messages of the fields the form shows, by field, and one
 * line for the rest (the message, plus any detail no field shows), or null when every detail
 * found its field.
 */
export function splitFieldErrors(
  e: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; rest: string | null } {
  if (!(e instanceof ApiError)) {
    return { byField: {}, rest: errorText(e) };
  }
  const byField: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const d of e.fieldErrors) {
    const head = d.field.split('.')[0];
    if (fields.includes(head)) {
      byField[head] ??= d.message;
    } else {
      unplaced.push(`${d.field}: ${d.message}`);
    }
  }
  const placed = Object.keys(byField).length > 0;
  if (placed && unplaced.length === 0) {
    return { byField, rest: null };
  }
  return {
    byField,
    rest: `${e.message}${unplaced.length > 0 ? ` — ${unplaced.join('; ')}` : ''}`,
  };
}

/** An `<input type="datetime-local">` value (the viewer's zone) as ISO 8601, or null when empty. */
export function isoFromLocalInput(value: string): string | null {
  if (!value.trim()) {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** The `<input type="datetime-local">` value of an instant, in the viewer's zone. */
export function localInputOf(iso: string | Date): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
