import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/client';
import { localInputOf } from '../../lib/fieldErrors';
import { answer, json } from '../../test/fetch';
import { BackfillButton } from './Backfill';

const job = { id: '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11', name: 'hourly', timezone: 'UTC' } as Job;
const SLOTS = ['2026-11-30T01:00:00.000Z', '2026-11-30T02:00:00.000Z', '2026-11-30T03:00:00.000Z'];

function renderButton() {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <BackfillButton job={job} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

/** Sets a datetime-local input (user-event cannot type into one in jsdom). */
const setInput = (label: string, iso: string) =>
  fireEvent.change(screen.getByLabelText(label, { exact: false }), {
    target: { value: localInputOf(iso) },
  });

describe('BackfillButton', () => {
  it('runs only after a dry run, and exactly the range the dry run showed', async () => {
    const sent: unknown[] = [];
    answer(async (request) => {
      const body = (await request.json()) as { dryRun: boolean };
      sent.push(body);
      return json(body.dryRun ? 200 : 202, {
        success: true,
        data: { backfillId: body.dryRun ? null : 'b1', slots: SLOTS, dryRun: body.dryRun },
      });
    });
    renderButton();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Backfill' }));
    await screen.findByRole('dialog', {}, { timeout: 10_000 });
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(true);
    setInput('From', '2026-11-30T00:30:00Z');
    setInput('To', '2026-11-30T03:30:00Z');
    await user.click(screen.getByRole('button', { name: 'Preview (dry run)' }));
    await screen.findByText('Dry run: 3 slot(s) would run', {}, { timeout: 10_000 });
    expect(screen.getByTestId('backfill-slots').querySelectorAll('li')).toHaveLength(3);

    // Changing the range drops the dry run: nothing runs that was not shown.
    setInput('To', '2026-11-30T04:30:00Z');
    expect(screen.queryByText('Dry run: 3 slot(s) would run')).toBeNull();
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(true);
    setInput('To', '2026-11-30T03:30:00Z');
    await user.click(screen.getByRole('button', { name: 'Preview (dry run)' }));
    await user.click(
      await screen.findByRole('button', { name: 'Run 3 slot(s)' }, { timeout: 10_000 }),
    );
    await screen.findByText('Backfill of 3 slot(s) started for hourly', {}, { timeout: 10_000 });
    const range = { from: '2026-11-30T00:30:00.000Z', to: '2026-11-30T03:30:00.000Z' };
    // The changed range was never sent: only the two dry runs of the range shown, then the run.
    expect(sent).toEqual([
      { ...range, dryRun: true },
      { ...range, dryRun: true },
      { ...range, dryRun: false },
    ]);
  });

  it("shows the API's messages beside From and To and runs nothing", async () => {
    const sent: unknown[] = [];
    answer(async (request) => {
      sent.push(await request.json());
      return json(400, {
        success: false,
        error: 'Validation Error',
        message: 'Validation failed',
        details: [{ field: 'to', message: 'to must not be in the future' }],
      });
    });
    renderButton();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Backfill' }));
    await screen.findByRole('dialog', {}, { timeout: 10_000 });
    setInput('From', '2026-11-30T00:30:00Z');
    setInput('To', '2099-01-01T00:00:00Z');
    await user.click(screen.getByRole('button', { name: 'Preview (dry run)' }));
    await screen.findByText('to must not be in the future', {}, { timeout: 10_000 });
    await waitFor(() =>
      expect(screen.getByLabelText('To', { exact: false }).getAttribute('aria-invalid')).toBe(
        'true',
      ),
    );
    expect(screen.queryByText('No backfill')).toBeNull();
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(true);
    expect(sent).toHaveLength(1);
  });
});
