import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { answer, json } from '../../test/fetch';
import { renderPage } from '../../test/render';
import { emptyCalendar } from './calendarForm';
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
});
