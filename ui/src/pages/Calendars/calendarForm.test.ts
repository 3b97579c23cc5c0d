import { describe, expect, it } from 'vitest';
import {
  bodyFromCalendarForm,
  calendarFieldOf,
  formFromCalendar,
  toLocalInput,
  type Calendar,
} from './calendarForm';

describe('bodyFromCalendarForm', () => {
  it('splits dates on lines, commas and spaces and sends ranges as instants', () => {
    const from = toLocalInput('2026-12-24T18:00:00Z');
    const body = bodyFromCalendarForm({
      name: ' Holidays ',
      description: '  ',
      timezone: 'Europe/Berlin',
      dates: '2026-12-25\n2026-12-26, 2027-01-01  \n\n',
      ranges: [{ from, to: 'not a time' }],
    });
    expect(body).toEqual({
      name: 'Holidays',
      description: null,
      timezone: 'Europe/Berlin',
      dates: ['2026-12-25', '2026-12-26', '2027-01-01'],
      // The viewer's local minute back to the same instant; a bad value goes as typed (the API
      // names it in its answer).
      ranges: [{ from: '2026-12-24T18:00:00.000Z', to: 'not a time' }],
    });
  });

  it('round-trips a stored calendar', () => {
    const stored: Calendar = {
      id: 'c',
      name: 'Ops freeze',
      description: 'No deploys',
      timezone: 'UTC',
      dates: ['2026-12-31'],
      ranges: [{ from: '2026-12-20T00:00:00.000Z', to: '2027-01-02T06:30:00.000Z' }],
      version: 1,
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const body = bodyFromCalendarForm(formFromCalendar(stored));
    expect(body).toEqual({
      name: 'Ops freeze',
      description: 'No deploys',
      timezone: 'UTC',
      dates: ['2026-12-31'],
      ranges: stored.ranges,
    });
  });
});

describe('calendarFieldOf', () => {
  it.each([
    ['name', 'name'],
    ['dates', 'dates'],
    ['dates.3', 'dates'],
    ['ranges.0.to', 'ranges.0.to'],
    ['ranges[2].from', 'ranges.2.from'],
    ['ranges', 'ranges'],
    ['ranges.1', 'ranges'],
    ['timezone', 'timezone'],
    ['colour', null],
  ])('places %s on %s', (field, expected) => {
    expect(calendarFieldOf(field)).toBe(expected);
  });
});
