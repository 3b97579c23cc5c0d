import type { AppEvents } from '../core/events/app-events.js';

export const RUN_EVENT_KINDS: readonly unknown[] = ['execution.started', 'execution.finished'];

/** What the event stream says of a run: the same fields whichever replica ran it. */
export type RunEvent =
  | {
      kind: 'execution.started';
      data: {
        jobId: string;
        executionId: string;
        trigger: string;
        scheduledFor: string;
        startedAt: string;
      };
    }
  | {
      kind: 'execution.finished';
      data: {
        jobId: string;
        executionId: string;
        status: string;
        durationMs: number;
        attempt: number;
      };
    };

type Loose = Record<string, unknown>;
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/**
 * A run event with the stream's fields, picked from this replica's bus event or from another
 * replica's NOTIFY (where anything else in the payload is dropped).
 */
export function runEvent(
  kind: RunEvent['kind'],
  e: Loose | AppEvents['slot.fired'] | AppEvents['execution.finished'],
): RunEvent {
  const v = e as Loose;
  const ids = { jobId: String(v.jobId), executionId: String(v.executionId) };
  if (kind === 'execution.started') {
    return {
      kind,
      data: {
        ...ids,
        trigger: String(v.trigger),
        scheduledFor: iso(v.scheduledFor),
        startedAt: iso(v.startedAt),
      },
    };
  }
  return {
    kind,
    data: {
      ...ids,
      status: String(v.status),
      durationMs: Number(v.durationMs),
      attempt: Number(v.attempt),
    },
  };
}
