import { ValidationFailedError } from '../core/errors/app-error.js';
import type { CalendarsService } from '../calendars/calendars.service.js';

/** 400 naming the ids of `excludeCalendars` that name no calendar. */
export async function assertKnownCalendars(
  calendars: CalendarsService,
  ids: readonly string[] | undefined,
): Promise<void> {
  if (!ids || ids.length === 0) {
    return;
  }
  const unknown = await calendars.unknownIds(ids);
  if (unknown.length > 0) {
    throw unknownCalendars(unknown);
  }
}

/**
 * A calendar deleted between the check above and the write: the job_calendars foreign key
 * refuses the row, and the client gets the same 400 instead of a 500.
 */
export function calendarRaceAs400(e: unknown): never {
  const driver = (e as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driver?.code === '23503' && driver.constraint === 'fk_job_calendars_calendar') {
    throw unknownCalendars([]);
  }
  throw e;
}

function unknownCalendars(ids: string[]): ValidationFailedError {
  const which = ids.length > 0 ? `: ${ids.join(', ')}` : '';
  return new ValidationFailedError([
    { field: 'excludeCalendars', message: `excludeCalendars names unknown calendars${which}` },
  ]);
}
