import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { answer, json } from '../../test/fetch';
import { PREVIEW_DEBOUNCE_MS } from './LivePreview';
import { emptyForm } from './jobForm';
import { JobForm } from './JobForm';

const NO_CALENDARS = {
  success: true,
  data: { calendars: [], pagination: { page: 1, limit: 100, total: 0, totalPages: 0 } },
};
const CHANNEL = { id: '3f1c2a9e-8b7d-4c7a-9f0e-2d4b6a8c1e5f', name: 'ops-hook', type: 'webhook' };
const PREVIEW = {
  success: true,
  data: {
    jobId: null,
    description: 'Every 2 seconds, UTC time',
    timezone: 'UTC',
    slots: [
      { at: '2030-01-01T00:00:02.000Z', local: '2030-01-01T00:00:02.000+00:00' },
      { at: '2030-01-01T00:00:04.000Z', local: '2030-01-01T00:00:04.000+00:00' },
    ],
  },
};

/**
 * The editor's reads (calendars, channels, the live preview) answered; `save` answers POST /api/jobs.
 */
function server(
  save: (request: Request) => Response | Promise<Response>,
  preview = () => json(200, PREVIEW),
) {
  const previews: unknown[] = [];
  answer(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/calendars') {
      return json(200, NO_CALENDARS);
    }
    if (path === '/api/channels') {
      return json(200, { success: true, data: { channels: [CHANNEL] } });
    }
    if (path === '/api/jobs/preview') {
      previews.push(await request.json());
      return preview();
    }
    return save(request);
  });
  return previews;
}

const BAD_CRON = 'cronExpression is not a valid cron expression';

/** The API's 400 for these details. */
const invalid = (details: { field: string; message: string }[]) =>
  json(400, { success: false, error: 'Validation Error', message: 'Validation failed', details });

/** The bad-cron message is shown beside the cron input, which says it is invalid. */
async function cronMarkedInvalid(cron: HTMLElement): Promise<void> {
  expect(await screen.findByText(BAD_CRON, {}, { timeout: 10_000 })).toBeTruthy();
  expect(cron.getAttribute('aria-invalid')).toBe('true');
}

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
    server(async (request) => {
      sent.push(await request.json());
      return invalid([
        { field: 'cronExpression', message: BAD_CRON },
        { field: 'intervalMs', message: 'never shown: the interval input is hidden' },
        { field: 'createdBy', message: 'createdBy is not allowed' },
      ]);
    });
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'nightly');
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    await user.clear(cron);
    await user.type(cron, 'every night');
    await user.click(screen.getByRole('button', { name: 'Create job' }));

    await cronMarkedInvalid(cron);
    // A detail with no field on the form is not lost: it is in the alert.
    expect(screen.getByRole('alert').textContent).toContain('createdBy: createdBy is not allowed');
    expect(screen.queryByText('job page')).toBeNull();
    expect(sent).toEqual([
      expect.objectContaining({ name: 'nightly', cronExpression: 'every night', intervalMs: null }),
    ]);
  });

  it('opens the new job once the API has created it', async () => {
    server(() =>
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

  it('previews the draft once typing pauses, not on every keystroke', async () => {
    const previews = server(() => json(500, {}));
    renderForm();
    // The first preview, of the form as it opens.
    await screen.findByText('Every 2 seconds, UTC time', {}, { timeout: 10_000 });
    expect(previews).toHaveLength(1);
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    // Thirteen keystrokes 40 ms apart (well inside the debounce; user-event's own pace depends
    // on how busy the machine is).
    const text = '*/2 * * * * *';
    for (let i = 1; i <= text.length; i++) {
      fireEvent.change(cron, { target: { value: text.slice(0, i) } });
      await act(() => new Promise((r) => setTimeout(r, 40)));
    }
    await waitFor(() => expect(previews.length).toBeGreaterThan(1), { timeout: 10_000 });
    await act(() => new Promise((r) => setTimeout(r, PREVIEW_DEBOUNCE_MS * 2)));
    // One request for the burst, of the last text (two at most should a timer stall the run).
    expect(previews.length).toBeLessThanOrEqual(3);
    expect(previews.at(-1)).toMatchObject({ name: 'draft', cronExpression: text });
    expect(screen.getByRole('list', { name: 'Preview of the next runs' }).children).toHaveLength(2);
  });

  it("puts the preview's 400 details beside the fields before anything is saved", async () => {
    const saves: unknown[] = [];
    server(
      (request) => {
        saves.push(request.url);
        return json(500, {});
      },
      () =>
        invalid([
          { field: 'cronExpression', message: BAD_CRON },
          {
            field: 'alerts.noSuccessWithinMs',
            message: 'noSuccessWithinMs must not be less than 1000',
          },
          { field: 'createdBy', message: 'createdBy is not allowed' },
        ]),
    );
    renderForm();
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    await cronMarkedInvalid(cron);
    // An alerts detail is beside its input; one no field shows is in the preview's status.
    expect(screen.getByText('noSuccessWithinMs must not be less than 1000')).toBeTruthy();
    expect(
      screen.getByRole('textbox', { name: /No success within/ }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(screen.getByRole('status').textContent).toContain('createdBy: createdBy is not allowed');
    expect(saves).toEqual([]);
  });

  it('sends the alerts chosen and shows their 400 details beside the channels and the window', async () => {
    const sent: { alerts?: unknown }[] = [];
    server(async (request) => {
      sent.push((await request.json()) as { alerts?: unknown });
      return invalid([
        { field: 'alerts.channels', message: 'unknown channel(s): gone' },
        {
          field: 'alerts.missedAfterMs',
          message: 'missedAfterMs must not be greater than 2592000000',
        },
      ]);
    });
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'nightly');
    // No channel: the alert settings wait disabled.
    const missed = screen.getByRole('textbox', { name: /Missed run after/ });
    expect((missed as HTMLInputElement).disabled).toBe(true);
    const channels = screen.getByRole('combobox', { name: 'Alert channels' });
    // The channels have loaded: the list offers them.
    await screen.findByText('None: no alerts for this job', {}, { timeout: 10_000 });
    await user.click(channels);
    await user.click(
      await screen.findByRole('option', { name: 'ops-hook', hidden: true }, { timeout: 10_000 }),
    );
    await waitFor(() => expect((missed as HTMLInputElement).disabled).toBe(false));
    await user.type(missed, '5');
    await user.click(screen.getByRole('checkbox', { name: /On recovery/ }));
    await user.click(screen.getByRole('button', { name: 'Create job' }));

    expect(
      await screen.findByText('unknown channel(s): gone', {}, { timeout: 10_000 }),
    ).toBeTruthy();
    expect(channels.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('missedAfterMs must not be greater than 2592000000')).toBeTruthy();
    expect(missed.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([
      expect.objectContaining({
        alerts: {
          channels: [CHANNEL.id],
          onFailure: true,
          onRecovery: false,
          onAutoPause: true,
          missedAfterMs: 300_000,
          noSuccessWithinMs: null,
        },
      }),
    ]);
  });
});
