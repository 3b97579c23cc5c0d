import { ApiError } from '../api/client';
import { versionConflict } from '../api/versions';

/** What went wrong, in the API's words, for a notification. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fieldErrors.map((d) => `${d.field}: ${d.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Why a delete of a `what` failed: a 412 (changed since it was shown) in words, else errorText. */
export function deleteErrorText(e: unknown, what: string): string {
  const conflict = versionConflict(e);
  if (!conflict) {
    return errorText(e);
  }
  const now = conflict.currentVersion === null ? '' : ` (now version ${conflict.currentVersion})`;
  return `Someone else changed this ${what} since it was shown${now}, so it was not deleted. Look at the latest, then delete again if you still mean to.`;
}
