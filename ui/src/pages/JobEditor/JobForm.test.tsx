import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { answer, json } from '../../test/fetch';
import { emptyForm } from './jobForm';
import { JobForm } from './JobForm';

function renderForm() {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/jobs/new']}>
          <Routes>
            <Route path="/jobs/new" element={<JobForm initial={emptyForm('UTC')} />} />
            <Route path="/jobs/:id" element={<p>job page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('JobForm', () => {
  it("shows the API's 400 details beside the fields they name and stays on the form", async () => {
    const sent: unknown[] = [];
    answer(async (request) => {
      sent.push(await request.json());
      return json(400, {
        success: false,
        error: 'Validation Error',
        message: 'Validation failed',
        details: [
          { field: 'cronExpression', message: 'cronExpression is not a valid cron expression' },
          { field: 'intervalMs', message: 'never shown: the interval input is hidden' },
          { field: 'createdBy', message: 'createdBy is not allowed' },
        ],
      });
    });
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'nightly');
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    await user.clear(cron);
    await user.type(cron, 'every night');
    await user.click(screen.getByRole('button', { name: 'Create job' }));

    expect(
      await screen.findByText(
        'cronExpression is not a valid cron expression',
        {},
        { timeout: 10_000 },
      ),
    ).toBeTruthy();
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    // A detail with no field on the form is not lost: it is in the alert.
    expect(screen.getByRole('alert').textContent).toContain('createdBy: createdBy is not allowed');
    expect(screen.queryByText('job page')).toBeNull();
    expect(sent).toEqual([
      expect.objectContaining({ name: 'nightly', cronExpression: 'every night', intervalMs: null }),
    ]);
  });

  it('opens the new job once the API has created it', async () => {
    answer(() =>
      json(201, {
        success: true,
        data: { id: '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11', name: 'nightly' },
        timestamp: new Date().toISOString(),
      }),
    );
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'nightly');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    await waitFor(() => expect(screen.getByText('job page')).toBeTruthy(), { timeout: 10_000 });
  });
});
