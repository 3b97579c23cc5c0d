import { queryOptions } from '@tanstack/react-query';
import { api, call } from '../../api/client';

/** Reads of the job page and editor beyond api/keys.ts (same key families: ['job', id], ...). */
export const jobQueries = {
  /** The next slots with the skipped ones among them (calendar, window, pause) for their marks. */
  plan: (id: string, count: number) =>
    queryOptions({
      queryKey: ['job', id, 'preview', count, 'with-skipped'],
      queryFn: () =>
        call(
          api.GET('/api/jobs/{id}/preview', {
            params: { path: { id }, query: { count, includeSkipped: 'true' } },
          }),
        ),
    }),
  /** Calendars by id, to name the one that skips a slot (the first 100: the API's page limit). */
  calendars: () =>
    queryOptions({
      queryKey: ['calendars', 'lookup'],
      queryFn: () => call(api.GET('/api/calendars', { params: { query: { limit: 100 } } })),
      staleTime: 60_000,
    }),
  /** Who paused the job: the newest job.pause entry of its audit trail. */
  pausedBy: (id: string, pausedAt: string) =>
    queryOptions({
      queryKey: ['job', id, 'audit', 'job.pause', pausedAt],
      queryFn: () =>
        call(
          api.GET('/api/jobs/{id}/audit', {
            params: { path: { id }, query: { action: 'job.pause', limit: 1 } },
          }),
        ),
    }),
};
