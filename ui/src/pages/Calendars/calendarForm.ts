import type { Schemas } from '../../api/client';

export type Calendar = Schemas['CalendarResponseDto'];
export type CalendarBody = Schemas['CreateCalendarDto'];

/** The calendar editor's fields: dates one per line, ranges as local date-times of the viewer. */
export interface CalendarFormValues {
  name: string;
  description: string;
  timezone: string;
  dates: string;
  ranges: { from: string; to: string }[];
}

/** A `<input type="datetime-local">` value of an instant, in the viewer's zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO instant; anything else is sent as typed for the API to judge. */
function fromLocalInput(local: string): string {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : local;
}

export function emptyCalendar(timezone: string): CalendarFormValues {
  return { name: '', description: '', timezone, dates: '', ranges: [] };
}

export function formFromCalendar(c: Calendar): CalendarFormValues {
  return {
    name: c.name,
    description: c.description ?? '',
    timezone: c.timezone,
    dates: c.dates.join('\n'),
    ranges: c.ranges.map((r) => ({ from: toLocalInput(r.from), to: toLocalInput(r.to) })),
  };
}

/**
 * The body of POST (and PUT, which replaces dates and ranges as whole lists). Dates may be
 * separated by new lines, commas or spaces; the API validates each and answers per field.
 */
export function bodyFromCalendarForm(v: CalendarFormValues): CalendarBody {
  return {
    name: v.name.trim(),
    description: v.description.trim() || null,
    timezone: v.timezone,
    dates: v.dates
      .split(/[\s,]+/)
      .map((d) => d.trim())
      .filter(Boolean),
    ranges: v.ranges.map((r) => ({ from: fromLocalInput(r.from), to: fromLocalInput(r.to) })),
  };
}

type FieldPath =
  | 'name'
  | 'description'
  | 'timezone'
  | 'dates'
  | 'ranges'
  | `ranges.${number}.from`
  | `ranges.${number}.to`;

/**
 * Which input an API error `field` belongs to: `dates.3` or `dates` -> the dates box,
 * `ranges.0.to` -> that range's "to", `ranges` -> the ranges section; null when none on the form.
 */
export function calendarFieldOf(field: string): FieldPath | null {
  const range = /^ranges[.[](\d+)\]?\.(from|to)$/.exec(field);
  if (range) {
    return `ranges.${Number(range[1])}.${range[2] as 'from' | 'to'}`;
  }
  const head = field.split(/[.[]/)[0];
  return ['name', 'description', 'timezone', 'dates', 'ranges'].includes(head)
    ? (head as FieldPath)
    : null;
}
