import type { CalendarResponseDto } from './dto/calendar.response.js';
import type { CalendarRecord } from './calendars.repository.js';

export function toCalendarResponse(c: CalendarRecord): CalendarResponseDto {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    timezone: c.timezone,
    dates: c.dates,
    ranges: c.ranges.map((r) => ({ from: r.from.toISOString(), to: r.to.toISOString() })),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
