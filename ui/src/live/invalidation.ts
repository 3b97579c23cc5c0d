/** Which cached queries a live event makes stale (query keys: see api/keys.ts). */
export type LiveEvent =
  | { type: 'jobs.changed'; jobIds: string[] }
  | { type: 'execution.started' | 'execution.finished'; jobId: string };

const runKeys = (jobId: string) => [
  ['executions'],
  ['activity'],
  ['stats'],
  ['job', jobId],
  ['jobs'],
];

export function staleKeys(event: LiveEvent): readonly (readonly unknown[])[] {
  switch (event.type) {
    case 'jobs.changed':
      return [['jobs'], ['stats'], ['upcoming'], ...event.jobIds.map((id) => ['job', id])];
    case 'execution.started':
      return runKeys(event.jobId);
    case 'execution.finished':
      // An outcome may queue alerts (failed, recovered, auto-paused).
      return [...runKeys(event.jobId), ['notifications']];
  }
}

/**
 * Collects stale keys and hands them over at most once per `everyMs`: a burst of events (a
 * thousand jobs firing on the minute) costs one refetch per screen, not a thousand.
 */
export class Batcher {
  private readonly pending = new Map<string, readonly unknown[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (keys: (readonly unknown[])[]) => void,
    private readonly everyMs = 1000,
  ) {}

  add(keys: readonly (readonly unknown[])[]): void {
    for (const key of keys) {
      this.pending.set(JSON.stringify(key), key);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const keys = [...this.pending.values()];
      this.pending.clear();
      this.flush(keys);
    }, this.everyMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
