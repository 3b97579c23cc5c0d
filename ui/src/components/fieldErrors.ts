import { ApiError } from '../api/client';
import { errorText } from './ErrorText';

/**
 * Puts each of the API's 400 `details` on the form field it names (`fieldOf` maps the API's
 * field to the form's, null when the form has none) and returns what the alert above the buttons
 * says: "fix the fields" when every detail found its field, else the whole error in the API's
 * words, so nothing is lost.
 */
export function placeFieldErrors<F extends string>(
  e: unknown,
  fieldOf: (field: string) => F | null,
  setError: (field: F, error: { message: string }) => void,
): string {
  const details = e instanceof ApiError ? e.fieldErrors : [];
  let unplaced = 0;
  for (const d of details) {
    const field = fieldOf(d.field);
    if (field) {
      setError(field, { message: d.message });
    } else {
      unplaced++;
    }
  }
  return details.length > 0 && unplaced === 0 ? 'Fix the fields marked below.' : errorText(e);
}
