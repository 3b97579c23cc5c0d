import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { isoFromLocalInput, localInputOf, splitFieldErrors } from './fieldErrors';

const bad = (details: { field: string; message: string }[]) =>
  new ApiError(400, {
    success: false,
    error: 'Validation Error',
    message: 'Validation failed',
    details,
  });

describe('splitFieldErrors', () => {
  it('puts each detail beside its field (the first per field) and says nothing more', () => {
    const out = splitFieldErrors(
      bad([
        { field: 'to', message: 'to must not be in the future' },
        { field: 'to', message: 'second message' },
        { field: 'from.x', message: 'nested' },
      ]),
      ['from', 'to'],
    );
    expect(out).toEqual({
      byField: { to: 'to must not be in the future', from: 'nested' },
      rest: null,
    });
  });

  it('keeps details no field shows, and errors without details, in the rest', () => {
    expect(
      splitFieldErrors(bad([{ field: 'dryRun', message: 'must be a boolean' }]), ['from']),
    ).toEqual({
      byField: {},
      rest: 'Validation failed — dryRun: must be a boolean',
    });
    expect(
      splitFieldErrors(
        new ApiError(409, { success: false, error: 'Conflict', message: 'Job is not paused' }),
        ['note'],
      ),
    ).toEqual({ byField: {}, rest: 'Job is not paused' });
    expect(splitFieldErrors(new Error('offline'), ['note']).rest).toBe('offline');
  });
});

describe('isoFromLocalInput', () => {
  it('turns a datetime-local value into an instant, empty into null, junk through for the API to refuse', () => {
    const local = localInputOf('2026-12-01T10:15:00Z');
    expect(isoFromLocalInput(local)).toBe('2026-12-01T10:15:00.000Z');
    expect(isoFromLocalInput('  ')).toBeNull();
    expect(isoFromLocalInput('tomorrow')).toBe('tomorrow');
  });
});
