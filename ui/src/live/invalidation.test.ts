import { afterEach, describe, expect, it, vi } from 'vitest';
import { Batcher, staleKeys } from './invalidation';

describe('staleKeys', () => {
  it('refreshes the job and the lists when a definition changes', () => {
    expect(staleKeys({ type: 'jobs.changed', jobIds: ['a', 'b'] })).toEqual([
      ['jobs'],
      ['stats'],
      ['upcoming'],
      ['job', 'a'],
      ['job', 'b'],
    ]);
  });

  it("refreshes the job's page and the execution views when a run starts or ends", () => {
    const keys = staleKeys({ type: 'execution.finished', jobId: 'a' });
    expect(keys).toContainEqual(['job', 'a']);
    expect(keys).toContainEqual(['executions']);
    expect(keys).toContainEqual(['activity']);
  });

  it('refreshes the notifications when a run ends (its outcome may queue alerts), not when it starts', () => {
    expect(staleKeys({ type: 'execution.finished', jobId: 'a' })).toContainEqual(['notifications']);
    expect(staleKeys({ type: 'execution.started', jobId: 'a' })).not.toContainEqual([
      'notifications',
    ]);
  });
});

describe('Batcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands over each key once per window', () => {
    vi.useFakeTimers();
    const flushed: unknown[][] = [];
    const batcher = new Batcher((keys) => flushed.push(keys), 1000);
    batcher.add([['jobs'], ['job', 'a']]);
    batcher.add([['jobs'], ['job', 'b']]);
    expect(flushed).toHaveLength(0);
    vi.advanceTimersByTime(1000);
    expect(flushed).toEqual([[['jobs'], ['job', 'a'], ['job', 'b']]]);
    batcher.add([['stats']]);
    batcher.stop();
    vi.advanceTimersByTime(5000);
    expect(flushed).toHaveLength(1);
  });
});
