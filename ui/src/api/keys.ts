import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, call } from './client';
import type { paths } from './schema';

type Query<P extends keyof paths> = paths[P] extends {
  get: { parameters: { query?: infer Q } };
}
  ? NonNullable<Q>
  : never;

export type JobsQuery = Query<'/api/jobs'>;
export type ExecutionsQuery = Query<'/api/executions'>;
export type JobExecutionsQuery = Query<'/api/jobs/{id}/executions'>;
export type NotificationsQuery = Query<'/api/notifications'>;

/**
 * Every server read the console makes, with its cache key. Keys start with the resource so a live
 * event can invalidate a family at once (live/invalidation.ts): ['jobs'], ['job', id], ...
 */
export const queries = {
  stats: () =>
    queryOptions({ queryKey: ['stats'], queryFn: () => call(api.GET('/api/jobs/stats')) }),
  activity: (hours: number, bucketMinutes: number) =>
    queryOptions({
      queryKey: ['activity', hours, bucketMinutes],
      queryFn: () =>
        call(api.GET('/api/executions/activity', { params: { query: { hours, bucketMinutes } } })),
      refetchInterval: 60_000,
    }),
  upcoming: (withinMinutes: number, limit: number) =>
    queryOptions({
      queryKey: ['upcoming', withinMinutes, limit],
      queryFn: () =>
        call(api.GET('/api/jobs/upcoming', { params: { query: { withinMinutes, limit } } })),
      refetchInterval: 60_000,
    }),
  jobs: (query: JobsQuery) =>
    queryOptions({
      queryKey: ['jobs', query],
      queryFn: () => call(api.GET('/api/jobs', { params: { query } })),
      placeholderData: keepPreviousData,
    }),
  job: (id: string) =>
    queryOptions({
      queryKey: ['job', id],
      queryFn: () => call(api.GET('/api/jobs/{id}', { params: { path: { id } } })),
    }),
  jobExecutions: (id: string, query: JobExecutionsQuery) =>
    queryOptions({
      queryKey: ['job', id, 'executions', query],
      queryFn: () =>
        call(api.GET('/api/jobs/{id}/executions', { params: { path: { id }, query } })),
      placeholderData: keepPreviousData,
    }),
  preview: (id: string, count: number) =>
    queryOptions({
      queryKey: ['job', id, 'preview', count],
      queryFn: () =>
        call(api.GET('/api/jobs/{id}/preview', { params: { path: { id }, query: { count } } })),
    }),
  executions: (query: ExecutionsQuery) =>
    queryOptions({
      queryKey: ['executions', query],
      queryFn: () => call(api.GET('/api/executions', { params: { query } })),
      placeholderData: keepPreviousData,
    }),
  users: () => queryOptions({ queryKey: ['users'], queryFn: () => call(api.GET('/api/users')) }),
  calendars: (page: number) =>
    queryOptions({
      queryKey: ['calendars', page],
      queryFn: () => call(api.GET('/api/calendars', { params: { query: { page, limit: 50 } } })),
      placeholderData: keepPreviousData,
    }),
  calendar: (id: string) =>
    queryOptions({
      queryKey: ['calendar', id],
      queryFn: () => call(api.GET('/api/calendars/{id}', { params: { path: { id } } })),
    }),
  calendarJobs: (id: string) =>
    queryOptions({
      queryKey: ['calendar', id, 'jobs'],
      queryFn: () => call(api.GET('/api/calendars/{id}/jobs', { params: { path: { id } } })),
    }),
  channels: () =>
    queryOptions({ queryKey: ['channels'], queryFn: () => call(api.GET('/api/channels')) }),
  channel: (id: string) =>
    queryOptions({
      queryKey: ['channels', id],
      queryFn: () => call(api.GET('/api/channels/{id}', { params: { path: { id } } })),
    }),
  notifications: (query: NotificationsQuery) =>
    queryOptions({
      queryKey: ['notifications', query],
      queryFn: () => call(api.GET('/api/notifications', { params: { query } })),
      placeholderData: keepPreviousData,
      // Deliveries change without a live event: look again while one is on its way.
      refetchInterval: (q) =>
        q.state.data?.notifications.some((n) => n.status === 'pending' || n.status === 'sending')
          ? 3000
          : false,
    }),
  notification: (id: string) =>
    queryOptions({
      queryKey: ['notifications', 'one', id],
      queryFn: () => call(api.GET('/api/notifications/{id}', { params: { path: { id } } })),
    }),
  apiKeys: () =>
    queryOptions({ queryKey: ['api-keys'], queryFn: () => call(api.GET('/api/api-keys')) }),
};
