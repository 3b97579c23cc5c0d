import { AppError } from '../core/errors/app-error.js';

export class CalendarNotFoundError extends AppError {
  constructor(readonly calendarId?: string) {
    super('NOT_FOUND', 'Calendar not found');
  }
}

/** DELETE of a calendar that jobs still exclude (the job_calendars foreign key refuses it too). */
export class CalendarInUseError extends AppError {
  constructor(jobs: { id: string; name: string }[]) {
    const names = jobs.map((j) => `${j.name} (${j.id})`).join(', ');
    super(
      'CONFLICT',
      `Calendar is excluded by ${jobs.length} job(s): ${names}; remove it from their excludeCalendars first`,
      jobs.map((j) => ({
        field: 'excludeCalendars',
        message: `job ${j.id} "${j.name}" excludes this calendar`,
      })),
    );
  }
}
