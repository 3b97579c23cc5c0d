import { ApiError } from '../api/client';

/** What went wrong, in the API's words, for a notification. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fieldErrors.map((d) => `${d.field}: ${d.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
