import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, call } from '../api/client';
import { Batcher, staleKeys, type LiveEvent } from './invalidation';

const KINDS = ['jobs.changed', 'execution.started', 'execution.finished'] as const;
const MAX_BACKOFF_MS = 30_000;

export type LiveState = 'open' | 'connecting';

/**
 * Keeps the screens current from GET /api/events. Each connection needs a fresh one-time ticket
 * (the bearer token never goes into a URL), so on any error the EventSource is closed and a new
 * ticket is fetched, with backoff; on (re)open everything is refetched, since events sent while
 * away are lost. Unmounting closes the stream and the timers.
 */
export function useLiveEvents(): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let opened = false;
    let stopped = false;
    const batcher = new Batcher((keys) => {
      for (const queryKey of keys) {
        void queryClient.invalidateQueries({ queryKey });
      }
    });

    const reconnect = () => {
      source?.close();
      source = undefined;
      setState('connecting');
      if (!stopped) {
        const delay = Math.min(1000 * 2 ** failures++, MAX_BACKOFF_MS);
        retry = setTimeout(() => void connect(), delay);
      }
    };

    const connect = async () => {
      let ticket: string;
      try {
        ticket = (await call(api.POST('/api/events/ticket'))).ticket;
      } catch {
        reconnect();
        return;
      }
      if (stopped) {
        return;
      }
      source = new EventSource(`/api/events?ticket=${encodeURIComponent(ticket)}`);
      source.onopen = () => {
        failures = 0;
        setState('open');
        if (opened) {
          void queryClient.invalidateQueries();
        }
        opened = true;
      };
      source.onerror = reconnect;
      for (const kind of KINDS) {
        source.addEventListener(kind, (e: MessageEvent<string>) => {
          const data = JSON.parse(e.data) as Omit<LiveEvent, 'type'>;
          batcher.add(staleKeys({ type: kind, ...data } as LiveEvent));
        });
      }
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      batcher.stop();
      source?.close();
    };
  }, [queryClient]);

  return state;
}
