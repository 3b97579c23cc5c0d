import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { answer, json } from '../../test/fetch';
import { renderPage } from '../../test/render';
import { emptyCalendar, formFromCalendar, type Calendar } from './calendarForm';
import { CalendarForm } from './CalendarForm';

const renderForm = () =>
  renderPage('/calendars/new', <CalendarForm initial={emptyCalendar('UTC')} />, {
    '/calendars/:id': <p>calendar page</p>,
  });

describe('CalendarForm', () => {
  it("puts the API's 400 details beside the dates box and the range's end, and stays", async () => {
    const sent: unknown[] = [];
    answer(async (request) => {
      sent.push(await request.json());
      return json(400, {
        success: false,
        error: 'Validation Error',
        message: 'Validation failed',
        details: [
          { field: 'dates', message: 'each value in dates must be a date written YYYY-MM-DD' },
          { field: 'ranges.0.to', message: 'ranges.0.to must be after ranges.0.from' },
        ],
      });
    });
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Holidays');
    await user.type(screen.getByRole('textbox', { name: /^Excluded dates/ }), '2026-12-32');
    await user.click(screen.getByRole('button', { name: 'Add range' }));
    const from = screen.getByLabelText('Range 1 from');
    const to = screen.getByLabelText('Range 1 to');
    await user.type(from, '2026-12-24T18:00');
    await user.type(to, '2026-12-24T08:00');
    await user.click(screen.getByRole('button', { name: 'Create calendar' }));

    expect(
      await screen.findByText('ranges.0.to must be after ranges.0.from', {}, { timeout: 10_000 }),
    ).toBeTruthy();
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(from.getAttribute('aria-invalid')).not.toBe('true');
    expect(
      screen.getByRole('textbox', { name: /^Excluded dates/ }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('Fix the fields marked below.');
    expect(screen.queryByText('calendar page')).toBeNull();
    expect(sent).toEqual([
      expect.objectContaining({
        name: 'Holidays',
        dates: ['2026-12-32'],
        ranges: [
          {
            from: new Date('2026-12-24T18:00').toISOString(),
            to: new Date('2026-12-24T08:00').toISOString(),
          },
        ],
      }),
    ]);
  });

  it('opens the calendar once the API has created it', async () => {
    answer(() =>
      json(201, {
        success: true,
        data: { id: '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11', name: 'Holidays' },
        timestamp: new Date().toISOString(),
      }),
    );
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Holidays');
    await user.click(screen.getByRole('button', { name: 'Create calendar' }));
    await waitFor(() => expect(screen.getByText('calendar page')).toBeTruthy(), {
      timeout: 10_000,
    });
  });

  it('says a stale save was refused (412), keeps the edits, and reloads the latest only when asked', async () => {
    const stored: Calendar = {
      id: '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11',
      name: 'Holidays',
      description: null,
      timezone: 'UTC',
      dates: ['2026-12-25'],
      ranges: [],
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    // Someone else has saved since: the API is at version 4.
    const latest: Calendar = {
      ...stored,
      name: 'Public holidays',
      dates: ['2026-12-26'],
      version: 4,
    };
    const writes: { ifMatch: string | null; body: unknown }[] = [];
    answer(async (request) => {
      if (request.method === 'GET') {
        return json(200, { success: true, data: latest });
      }
      writes.push({ ifMatch: request.headers.get('If-Match'), body: await request.json() });
      return json(412, {
        success: false,
        error: 'Precondition Failed',
        message: 'The calendar has changed: its current version is 4; re-read it and retry',
        details: [{ field: 'If-Match', message: 'current version is 4' }],
        currentVersion: 4,
      });
    });
    renderPage(
      `/calendars/${stored.id}`,
      <CalendarForm calendar={stored} initial={formFromCalendar(stored)} />,
    );
    const user = userEvent.setup();
    const dates = screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Excluded dates/ });
    await user.type(dates, '{enter}2026-12-31');
    await user.click(screen.getByRole('button', { name: 'Save calendar' }));

    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('someone else changed this calendar');
    expect(alert.textContent).toContain('you opened version 3; it is now at version 4');
    expect(writes.map((w) => w.ifMatch)).toEqual(['"3"']);
    expect(writes[0].body).toMatchObject({ dates: ['2026-12-25', '2026-12-31'] });
    // The edits are still on screen.
    expect(dates.value).toBe('2026-12-25\n2026-12-31');

    await user.click(screen.getByRole('button', { name: /Reload the latest/ }));
    await waitFor(() => expect(dates.value).toBe('2026-12-26'), {
      timeout: 10_000,
    });
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: /^Name/ }).value).toBe(
      'Public holidays',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    // The next save is based on the version reloaded.
    await user.click(screen.getByRole('button', { name: 'Save calendar' }));
    await waitFor(() => expect(writes).toHaveLength(2), { timeout: 10_000 });
    expect(writes[1].ifMatch).toBe('"4"');
  });
});
