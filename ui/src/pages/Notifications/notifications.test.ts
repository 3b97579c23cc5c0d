import { describe, expect, it } from 'vitest';
import { filtersFrom, jobNameOf, replayableExecution } from './notifications';

describe('replayableExecution', () => {
  it('offers the failed run of a job.failed alert, and nothing for other events', () => {
    const payload = { job: { name: 'nightly' }, execution: { id: 'e-1', status: 'failed' } };
    expect(replayableExecution({ event: 'job.failed', payload })).toBe('e-1');
    expect(replayableExecution({ event: 'job.recovered', payload })).toBeNull();
    expect(
      replayableExecution({ event: 'job.failed', payload: { execution: { id: 7 } } }),
    ).toBeNull();
    expect(replayableExecution({ event: 'job.failed', payload: {} })).toBeNull();
  });
});

describe('jobNameOf', () => {
  it('reads the name the alert was sent with', () => {
    expect(jobNameOf({ payload: { job: { name: 'nightly' } } })).toBe('nightly');
    expect(jobNameOf({ payload: { event: 'channel.test' } })).toBeNull();
  });
});

describe('filtersFrom', () => {
  it('keeps known statuses, events and a channel id; drops the rest', () => {
    const id = '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11';
    expect(
      filtersFrom(new URLSearchParams(`status=failed&event=job.missed&channel=${id}`)),
    ).toEqual({ status: 'failed', event: 'job.missed', channel: id });
    expect(filtersFrom(new URLSearchParams('status=lost&event=drop&channel=x'))).toEqual({});
  });
});
