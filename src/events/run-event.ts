import type { AppEvents } from '../core/events/app-events.js';

export const RUN_EVENT_KINDS: readonly string[] = ['execution.started', 'execution.finished'];

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
 * The stream's fields of a run event, picked from this replica's bus event or from another
 * replica's NOTIFY (where anything else in the payload is dropped).
 */
export function runEventData<K extends RunEvent['kind']>(
  kind: K,
  e: Loose | AppEvents['slot.fired'] | AppEvents['execution.finished'],
): Extract<RunEvent, { kind: K }>['data'] {
  const v = e as Loose;
  if (kind === 'execution.started') {
    return {
      jobId: String(v.jobId),
      executionId: String(v.executionId),
      trigger: String(v.trigger),
      scheduledFor: iso(v.scheduledFor),
      startedAt: iso(v.startedAt),
    } as Extract<RunEvent, { kind: K }>['data'];
  }
  return {
    jobId: String(v.jobId),
    executionId: String(v.executionId),
    status: String(v.status),
    durationMs: Number(v.durationMs),
    attempt: Number(v.attempt),
  } as Extract<RunEvent, { kind: K }>['data'];
}
