import { describe, expect, it } from 'vitest';
import { calendarsCovering, slotViews, type Calendar } from './slotMarks';

const holidays: Calendar = {
  id: 'c1',
  name: 'Holidays DE',
  timezone: 'Europe/Berlin',
  dates: ['2026-12-25'],
  ranges: [],
};
const freeze: Calendar = {
  id: 'c2',
  name: 'Change freeze',
  timezone: 'UTC',
  dates: [],
  ranges: [{ from: '2026-12-28T00:00:00Z', to: '2026-12-29T00:00:00Z' }],
};

const labels = (views: ReturnType<typeof slotViews>) =>
  views.map((v) => v.marks.map((m) => m.label));

describe('calendarsCovering', () => {
  it("reads a calendar's dates in its own zone and its ranges as [from, to)", () => {
    // 23:30 UTC on the 24th is already the 25th in Berlin.
    expect(calendarsCovering('2026-12-24T23:30:00Z', [holidays, freeze])).toEqual([holidays]);
    expect(calendarsCovering('2026-12-24T22:30:00Z', [holidays, freeze])).toEqual([]);
    expect(calendarsCovering('2026-12-28T00:00:00Z', [holidays, freeze])).toEqual([freeze]);
    expect(calendarsCovering('2026-12-29T00:00:00Z', [holidays, freeze])).toEqual([]);
  });
});

describe('slotViews', () => {
  it('names the calendar that skips a slot and says why other slots are skipped', () => {
    const views = slotViews(
      [
        {
          at: '2026-12-24T09:00:00.000Z',
          local: '2026-12-24T10:00:00.000+01:00',
          skipped: 'pause',
        },
        {
          at: '2026-12-25T09:00:00.000Z',
          local: '2026-12-25T10:00:00.000+01:00',
          skipped: 'calendar',
        },
        { at: '2026-12-26T09:00:00.000Z', local: '2026-12-26T10:00:00.000+01:00' },
        {
          at: '2026-12-28T09:00:00.000Z',
          local: '2026-12-28T10:00:00.000+01:00',
          skipped: 'calendar',
        },
        {
          at: '2027-01-01T09:00:00.000Z',
          local: '2027-01-01T10:00:00.000+01:00',
          skipped: 'window',
        },
      ],
      [holidays, freeze],
    );
    expect(labels(views)).toEqual([
      ['skipped: paused'],
      ['skipped: calendar Holidays DE'],
      [],
      ['skipped: calendar Change freeze'],
      ['skipped: outside window'],
    ]);
    expect(views.map((v) => v.skipped)).toEqual([
      'pause',
      'calendar',
      undefined,
      'calendar',
      'window',
    ]);
  });

  it('still marks a calendar skip when the calendar is not at hand', () => {
    const [view] = slotViews(
      [
        {
          at: '2026-12-25T09:00:00.000Z',
          local: '2026-12-25T10:00:00.000+01:00',
          skipped: 'calendar',
        },
      ],
      [],
    );
    expect(view.marks.map((m) => m.label)).toEqual(['skipped: calendar']);
  });

  it('marks a daily time that falls in the spring-forward gap as shifted, and the offset change', () => {
    // "30 2 * * *" in America/New_York: 02:30 does not exist on 2026-03-08 and fires at 03:00.
    const views = slotViews(
      [
        { at: '2026-03-07T07:30:00.000Z', local: '2026-03-07T02:30:00.000-05:00' },
        { at: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00.000-04:00' },
        { at: '2026-03-09T06:30:00.000Z', local: '2026-03-09T02:30:00.000-04:00' },
      ],
      [],
    );
    expect(labels(views)).toEqual([[], ['DST: clocks forward (-04:00)', 'DST: shifted'], []]);
  });

  it('does not call an hourly slot after the gap shifted, and marks fall-back', () => {
    const views = slotViews(
      [
        { at: '2026-03-08T06:00:00.000Z', local: '2026-03-08T01:00:00.000-05:00' },
        { at: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00.000-04:00' },
        { at: '2026-03-08T08:00:00.000Z', local: '2026-03-08T04:00:00.000-04:00' },
        { at: '2026-11-01T05:00:00.000Z', local: '2026-11-01T01:00:00.000-04:00' },
        { at: '2026-11-01T06:00:00.000Z', local: '2026-11-01T01:00:00.000-05:00' },
      ],
      [],
    );
    expect(labels(views)).toEqual([
      [],
      ['DST: clocks forward (-04:00)'],
      [],
      [],
      ['DST: clocks back (-05:00)'],
    ]);
  });

  it('judges DST among the firing slots only and marks jitter', () => {
    const views = slotViews(
      [
        { at: '2026-03-07T07:30:00.000Z', local: '2026-03-07T02:30:00.000-05:00' },
        {
          at: '2026-03-08T06:30:00.000Z',
          local: '2026-03-08T01:30:00.000-05:00',
          skipped: 'calendar',
        },
        {
          at: '2026-03-09T06:30:04.000Z',
          local: '2026-03-09T02:30:04.000-04:00',
          nominal: '2026-03-09T06:30:00.000Z',
        },
      ],
      [],
    );
    expect(labels(views)).toEqual([
      [],
      ['skipped: calendar'],
      ['DST: clocks forward (-04:00)', 'jitter'],
    ]);
  });
});
